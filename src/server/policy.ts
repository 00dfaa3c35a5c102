import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load';
import { createLiveLakeFormationSource } from '../policy/import-live';
import { createPolicyStore, type PolicyStore } from '../policy/store';

export interface RunningPolicy {
  readonly store: PolicyStore;
  stop(): void;
}

/**
 * Wires the Lake Formation permissions the configuration names: exported files (read and
 * checked at load), the live API (refreshed on an interval, last good copy kept), or none.
 */
export async function startPolicy(loaded: LoadedConfig, logger: Logger, client?: LakeFormationClient): Promise<RunningPolicy> {
  const settings = loaded.config.lakeFormation;
  if (!settings) {
    logger.warn('lakeFormation is not configured: every authenticated caller may read every dataset');
    return { store: createPolicyStore(loaded.catalog, null), stop: () => undefined };
  }
  const store = createPolicyStore(loaded.catalog, settings.catalogId);
  if (!settings.live) {
    store.update(loaded.lakeFormation!);
    return { store, stop: () => undefined };
  }
  const source = createLiveLakeFormationSource({
    client: client ?? new LakeFormationClient({ region: settings.live.region, ...(settings.live.endpoint ? { endpoint: settings.live.endpoint } : {}) }),
    catalogId: settings.catalogId,
    tables: loaded.catalog.tables.map((table) => ({ database: table.database, table: table.name })),
    refreshSeconds: settings.live.refreshSeconds,
    logger,
  });
  const adopt = (snapshot: Parameters<PolicyStore['update']>[0]): void => {
    const issues = store.update(snapshot);
    if (issues.length > 0) logger.warn({ issues }, 'Lake Formation permissions changed but do not compile; keeping the last good copy');
    else logger.info('Lake Formation permissions updated');
  };
  const first = store.update(await source.start());
  if (first.length > 0) throw new Error(`Lake Formation permissions do not compile: ${first.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  source.onChange(adopt);
  return { store, stop: () => source.stop() };
}
