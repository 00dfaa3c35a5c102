import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load';
import type { Issue } from '../catalog/types';
import { loadLakeFormationExports } from '../config/lake-formation';
import { createLiveLakeFormationSource } from '../policy/import-live';
import type { LakeFormationSnapshot } from '../policy/lf-types';
import { createPolicyStore, type PolicyStore } from '../policy/store';

export interface RunningPolicy {
  readonly store: PolicyStore;
  /** Re-reads the permissions now (the files, or the live API); the issues that kept a change out. */
  reload(): Promise<readonly Issue[]>;
  /** Calls `listener` after every change of permissions that was taken (a reload, a live refresh). */
  onChange(listener: () => void): void;
  stop(): void;
}

/**
 * Wires the Lake Formation permissions the configuration names: exported files (read and
 * checked at load), the live API (refreshed on an interval, last good copy kept), or none.
 */
export async function startPolicy(loaded: LoadedConfig, logger: Logger, client?: LakeFormationClient): Promise<RunningPolicy> {
  const settings = loaded.config.lakeFormation;
  const listeners: (() => void)[] = [];
  const onChange = (listener: () => void): void => void listeners.push(listener);
  const changed = (): void => listeners.forEach((listener) => listener());
  if (!settings) {
    logger.warn('lakeFormation is not configured: every authenticated caller may read every dataset');
    return { store: createPolicyStore(loaded.catalog, null), reload: async () => [], onChange, stop: () => undefined };
  }
  const store = createPolicyStore(loaded.catalog, settings.catalogId);
  const files = settings.files;
  if (files) {
    store.update(loaded.lakeFormation!);
    const context = { dir: loaded.dir, tables: loaded.catalog.tables, served: loaded.catalog.datasets.map((dataset) => dataset.table) };
    const reload = async (): Promise<readonly Issue[]> => {
      // The settled catalogId: exports that now name only another catalog are refused, not served empty.
      const read = loadLakeFormationExports(settings, files, context);
      for (const warning of read.warnings) logger.warn({ path: warning.path }, warning.message);
      const issues = read.value ? store.update(read.value.snapshot) : read.issues;
      if (issues.length > 0) logger.warn({ issues }, 'Lake Formation files do not load; keeping the last good copy');
      else {
        logger.info('Lake Formation permissions reloaded from files');
        changed();
      }
      return issues;
    };
    return { store, reload, onChange, stop: () => undefined };
  }
  const live = settings.live!;
  const source = createLiveLakeFormationSource({
    client: client ?? new LakeFormationClient({ region: live.region, ...(live.endpoint ? { endpoint: live.endpoint } : {}) }),
    catalogId: settings.catalogId,
    tables: loaded.catalog.tables.map((table) => ({ database: table.database, table: table.name })),
    refreshSeconds: live.refreshSeconds,
    logger,
  });
  let lastIssues: readonly Issue[] = [];
  const adopt = (snapshot: LakeFormationSnapshot): void => {
    lastIssues = store.update(snapshot);
    if (lastIssues.length > 0) logger.warn({ issues: lastIssues }, 'Lake Formation permissions changed but do not compile; keeping the last good copy');
    else {
      logger.info('Lake Formation permissions updated');
      changed();
    }
  };
  const first = store.update(await source.start());
  if (first.length > 0) throw new Error(`Lake Formation permissions do not compile: ${first.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  source.onChange(adopt);
  const reload = async (): Promise<readonly Issue[]> => {
    lastIssues = [];
    await source.refreshNow();
    return lastIssues;
  };
  return { store, reload, onChange, stop: () => source.stop() };
}
