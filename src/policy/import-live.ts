import {
  GetResourceLFTagsCommand,
  type LakeFormationClient,
  ListDataCellsFilterCommand,
  ListLFTagsCommand,
  ListPermissionsCommand,
} from '@aws-sdk/client-lakeformation';
import type { Issue } from '../catalog/types';
import { parseResourceTagsDocument } from './lf-resource-tags';
import { parseDataCellsFiltersDocument, parseLFTagsDocument, parsePermissionsDocument } from './lf-shapes';
import type { LakeFormationSnapshot, TableTags } from './lf-types';

/**
 * The "import Lake Formation" stage against the live API: pages through ListPermissions,
 * ListDataCellsFilter and ListLFTags, asks GetResourceLFTags for each served table, and refreshes
 * on an interval. A refresh that fails keeps the last good snapshot; listeners hear only of real
 * changes. Grants and filters the shapes reject are left out (with a warning): Lake Formation has
 * no deny, so leaving a grant out can only take access away. Tags are all or nothing.
 */

export interface LiveLakeFormationLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface LiveLakeFormationOptions {
  readonly client: LakeFormationClient;
  readonly catalogId: string;
  readonly tables: readonly { readonly database: string; readonly table: string }[];
  readonly refreshSeconds: number;
  readonly logger: LiveLakeFormationLogger;
  /** MaxResults per list call (AWS allows 1..1000). */
  readonly pageSize?: number;
}

export interface LiveLakeFormationSource {
  /** First load; rejects when it fails. Starts the refresh interval once it succeeds. */
  start(): Promise<LakeFormationSnapshot>;
  /** The last good snapshot; throws before `start()` has resolved. */
  current(): LakeFormationSnapshot;
  /** Called with the new snapshot after a refresh that changed it. Returns an unsubscribe. */
  onChange(listener: (snapshot: LakeFormationSnapshot) => void): () => void;
  /** One refresh now (the interval calls this); never rejects: a failure is logged. */
  refreshNow(): Promise<void>;
  stop(): void;
}

const MAX_PAGES = 10_000;
const TAG_CONCURRENCY = 4;

export function createLiveLakeFormationSource(options: LiveLakeFormationOptions): LiveLakeFormationSource {
  const { logger } = options;
  const listeners = new Set<(snapshot: LakeFormationSnapshot) => void>();
  let snapshot: LakeFormationSnapshot | null = null;
  let fingerprint = '';
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let starting: Promise<LakeFormationSnapshot> | null = null;
  let stopped = false;

  const accept = (loaded: { snapshot: LakeFormationSnapshot; issues: Issue[] }): boolean => {
    const next = fingerprintSnapshot(loaded.snapshot);
    if (next === fingerprint) return false;
    if (loaded.issues.length > 0) logger.warn({ issues: loaded.issues }, 'Lake Formation entries left out: Lakegate cannot read them');
    snapshot = loaded.snapshot;
    fingerprint = next;
    logger.info(countsOf(loaded.snapshot), 'Lake Formation permissions loaded');
    return true;
  };

  const refreshNow = (): Promise<void> => {
    if (stopped || !snapshot) return Promise.resolve();
    inFlight ??= loadLiveSnapshot(options)
      .then((loaded) => {
        if (stopped || !accept(loaded)) return;
        for (const listener of listeners) notify(listener, loaded.snapshot, logger);
      })
      .catch((error: unknown) => {
        logger.warn({ err: describeError(error) }, 'Lake Formation refresh failed; keeping the last good snapshot');
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    start() {
      starting ??= loadLiveSnapshot(options).then((loaded) => {
        accept(loaded);
        if (!stopped) {
          timer = setInterval(() => void refreshNow(), options.refreshSeconds * 1000);
          timer.unref();
        }
        return loaded.snapshot;
      }, (error: unknown) => {
        starting = null;
        throw new Error(`Lake Formation could not be read: ${describeError(error)}`, { cause: error });
      });
      return starting;
    },
    current() {
      if (!snapshot) throw new Error('the Lake Formation source has not loaded yet: await start() first');
      return snapshot;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refreshNow,
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/** Reads everything once. Rejects when any call fails or any table's tags are malformed. */
export async function loadLiveSnapshot(options: LiveLakeFormationOptions): Promise<{ snapshot: LakeFormationSnapshot; issues: Issue[] }> {
  const { client, catalogId } = options;
  const MaxResults = options.pageSize ?? 1000;
  const [rawGrants, rawFilters, rawTags, tableTags] = await Promise.all([
    readAllPages('ListPermissions', async (NextToken) => {
      const out = await client.send(new ListPermissionsCommand({ CatalogId: catalogId, MaxResults, NextToken }));
      return { items: out.PrincipalResourcePermissions ?? [], next: out.NextToken };
    }),
    readAllPages('ListDataCellsFilter', async (NextToken) => {
      const out = await client.send(new ListDataCellsFilterCommand({ MaxResults, NextToken }));
      return { items: out.DataCellsFilters ?? [], next: out.NextToken };
    }),
    readAllPages('ListLFTags', async (NextToken) => {
      const out = await client.send(new ListLFTagsCommand({ CatalogId: catalogId, MaxResults, NextToken }));
      return { items: out.LFTags ?? [], next: out.NextToken };
    }),
    readTableTags(options),
  ]);
  const filters = parseDataCellsFiltersDocument({ DataCellsFilters: rawFilters }, 'ListDataCellsFilter');
  const grants = parsePermissionsDocument({ PrincipalResourcePermissions: rawGrants }, 'ListPermissions', filters.value);
  const tags = parseLFTagsDocument({ LFTags: rawTags }, 'ListLFTags');
  return {
    snapshot: { permissions: grants.value, dataCellsFilters: filters.value, tableTags, tagDefinitions: tags.value },
    issues: [...grants.issues, ...filters.issues, ...tags.issues],
  };
}

async function readAllPages<T>(operation: string, fetchPage: (token: string | undefined) => Promise<{ items: readonly T[]; next: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    const page = await withContext(operation, () => fetchPage(token));
    items.push(...page.items);
    if (!page.next) return items;
    if (seen.has(page.next)) throw new Error(`${operation}: the service repeated NextToken ${page.next}`);
    seen.add(page.next);
    token = page.next;
  }
  throw new Error(`${operation}: more than ${MAX_PAGES} pages`);
}

/**
 * GetResourceLFTags for each table, a few at a time. A table Lake Formation does not know
 * (EntityNotFoundException) gets no entry and a warning; any other failure fails the load, since
 * tags missing from a column would let it inherit its table's (possibly wider) tags.
 */
async function readTableTags(options: LiveLakeFormationOptions): Promise<TableTags[]> {
  const results: (TableTags | null)[] = new Array<TableTags | null>(options.tables.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.tables.length) {
      const index = next++;
      results[index] = await readOneTableTags(options, options.tables[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TAG_CONCURRENCY, options.tables.length) }, worker));
  return results.filter((tags): tags is TableTags => tags !== null);
}

async function readOneTableTags(options: LiveLakeFormationOptions, target: { database: string; table: string }): Promise<TableTags | null> {
  const { client, catalogId, logger } = options;
  const label = `${target.database}.${target.table}`;
  let output: unknown;
  try {
    output = await client.send(new GetResourceLFTagsCommand({
      CatalogId: catalogId,
      Resource: { Table: { CatalogId: catalogId, DatabaseName: target.database, Name: target.table } },
      ShowAssignedLFTags: false,
    }));
  } catch (error) {
    if ((error as Error).name !== 'EntityNotFoundException') throw new Error(`GetResourceLFTags ${label}: ${describeError(error)}`);
    logger.warn({ table: label, err: describeError(error) }, 'Lake Formation does not know this table; it has no LF-Tags');
    return null;
  }
  const parsed = parseResourceTagsDocument(output, `GetResourceLFTags ${label}`, target.database, target.table);
  if (!parsed.value) throw new Error(`GetResourceLFTags ${label}: ${parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  return parsed.value;
}

async function withContext<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${operation}: ${describeError(error)}`);
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
}

function notify(listener: (snapshot: LakeFormationSnapshot) => void, snapshot: LakeFormationSnapshot, logger: LiveLakeFormationLogger): void {
  try {
    listener(snapshot);
  } catch (error) {
    logger.warn({ err: describeError(error) }, 'a Lake Formation change listener threw');
  }
}

function countsOf(snapshot: LakeFormationSnapshot): object {
  return {
    permissions: snapshot.permissions.length,
    dataCellsFilters: snapshot.dataCellsFilters.length,
    tables: snapshot.tableTags.length,
    tagDefinitions: snapshot.tagDefinitions.length,
  };
}

/** JSON with sorted keys and each list of the snapshot in sorted order: equal iff the same grants. */
export function fingerprintSnapshot(snapshot: LakeFormationSnapshot): string {
  const sorted = (items: readonly unknown[]): string[] => items.map(stableJson).sort();
  return JSON.stringify({
    permissions: sorted(snapshot.permissions),
    dataCellsFilters: sorted(snapshot.dataCellsFilters),
    tableTags: sorted(snapshot.tableTags),
    tagDefinitions: sorted(snapshot.tagDefinitions),
  });
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
