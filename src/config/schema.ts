import { z } from 'zod';
import { dataset, kpi, tableName } from './curation-schema';
import { bytes, durationMs } from './duration';
import { athenaEngine, localEngine, redshiftEngine, routing } from './engines-schema';

/**
 * The curation file (`lakegate.yaml`): one validated document. Relative paths are resolved
 * against the file's own folder. Unknown keys are errors, so a typo never passes silently.
 */

const principalRule = z
  .object({
    claim: z.string().min(1),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    principals: z.array(z.string().min(1)).min(1),
  })
  .strict();

const auth = z
  .object({
    issuer: z.string().optional(),
    audience: z.string().optional(),
    algorithms: z.array(z.enum(['HS256', 'RS256', 'ES256'])).min(1).default(['HS256']),
    hs256SecretEnv: z.string().default('LAKEGATE_JWT_SECRET'),
    jwksUri: z.string().url().optional(),
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
    principals: z.array(principalRule).default([]),
    devRoles: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  })
  .strict();

const limits = z
  .object({
    defaultLimit: z.number().int().min(1).default(100),
    maxLimit: z.number().int().min(1).default(10_000),
    maxDepth: z.number().int().min(1).default(10),
    queryTimeoutMs: z.number().int().min(1).default(30_000),
    // Checked on the document before anything runs (LIMIT_EXCEEDED, HTTP 400).
    /** Aliased fields in one document. */
    maxAliases: z.number().int().min(0).default(30),
    /** Fields at the root of an operation. */
    maxRootFields: z.number().int().min(1).default(20),
    /** Lexical tokens of a document (the parser stops counting past this). */
    maxTokens: z.number().int().min(100).default(5_000),
    /** Directives in one document. */
    maxDirectives: z.number().int().min(0).default(20),
    /** Nesting of and / or / not inside one filter. */
    maxFilterDepth: z.number().int().min(1).default(8),
    /** Values of one in / notIn list. */
    maxListLength: z.number().int().min(1).default(1_000),
    /** Estimated cost of a document: engine queries it may start and rows it may return (see the README). */
    maxCost: z.number().int().min(1).default(1_000),
    // Per caller (the token's subject), shared by replicas through Redis when the cache has one.
    /** Namespace of the per-caller counters (requests, running queries, bytes scanned) in the cache's Redis. */
    redisKeyPrefix: z.string().min(1).default('lakegate:rl:'),
    /** Requests per caller per window; 0: unlimited. */
    requestsPerWindow: z.number().int().min(0).default(600),
    window: durationMs({ min: 1_000 }).default('1m'),
    /** Engine queries one caller may have running at once; 0: unlimited. */
    concurrentQueriesPerCaller: z.number().int().min(0).default(8),
    // Per engine: a burst waits in a bounded queue instead of thrashing the engine.
    /** Engine queries running at once on one engine (this replica); more wait in its queue. */
    maxConcurrentQueries: z.number().int().min(1).default(16),
    /** A query that waits longer than this for its turn is refused (RATE_LIMITED). */
    maxQueueMs: z.number().int().min(0).default(5_000),
    /** Open WebSocket (subscription) connections per caller; 0: unlimited. */
    maxConnectionsPerCaller: z.number().int().min(0).default(10),
  })
  .strict()
  .refine((value) => value.defaultLimit <= value.maxLimit, { message: 'defaultLimit must not exceed maxLimit', path: ['defaultLimit'] });

const paging = z
  .object({
    /** A cursor (`<dataset>Page(after:)`) is refused this long after the page that handed it out. */
    cursorTtl: durationMs({ min: 1_000 }).default('1h'),
    /**
     * Environment variable holding the key cursors are signed with (at least 32 bytes); the same on
     * every replica. Unset: derived from the HS256 JWT secret, else a random key per process.
     */
    cursorSecretEnv: z.string().min(1).default('LAKEGATE_CURSOR_SECRET'),
  })
  .strict();

const longQueries = z
  .object({
    /** A request waits this long for an Athena or Redshift Data API query, then answers QUERY_RUNNING with a handle. */
    waitMs: z.number().int().min(100).default(10_000),
    /** A running query nobody has asked about (repeat or queryStatus) for this long is stopped. */
    graceMs: z.number().int().min(100).default(120_000),
    /** How often each replica looks for abandoned queries. */
    sweepIntervalMs: z.number().int().min(50).default(5_000),
    redis: z
      .object({
        /** redis://[:password@]host:6379/0, shared by every replica; the environment variable below wins. Neither set: kept in memory (one replica). */
        url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
        urlEnv: z.string().default('LAKEGATE_REDIS_URL'),
        /** Namespace of every key, so deployments sharing one Redis do not collide. */
        keyPrefix: z.string().min(1).default('lakegate:lq:'),
      })
      .strict()
      .default({}),
  })
  .strict();

const cache = z
  .object({
    /** false: every query reaches its engine (KPIs included); for comparisons and troubleshooting. */
    enabled: z.boolean().default(true),
    /** Memory for cached answers on each replica (least recently used go first). */
    maxBytes: bytes().default(64 * 1024 ** 2),
    /** A cached answer this much past its TTL is still served while one background refresh runs; 0: never. */
    staleWhileRevalidate: durationMs().default('0s'),
    /** How long identical requests wait for the one running their query (on any replica) before running their own. */
    lockWait: durationMs({ min: 1 }).default('10s'),
    redis: z
      .object({
        /** Shared by every replica; the environment variable below wins. Neither set: memory only. */
        url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
        urlEnv: z.string().default('LAKEGATE_REDIS_URL'),
        keyPrefix: z.string().min(1).default('lakegate:cache:'),
        /** A compressed answer larger than this stays in memory only. */
        maxEntryBytes: bytes().default(1024 ** 2),
      })
      .strict()
      .default({}),
  })
  .strict();

const budgets = z
  .object({
    /** Bytes one caller's Athena queries may scan per UTC day (counted in Redis when the cache has it, else per replica); absent: no budget. */
    athenaBytesPerDay: bytes().optional(),
  })
  .strict();

const webhook = z
  .object({
    /** Receives a JSON POST per threshold crossing. */
    url: z.string().url(),
    /** Environment variable holding the HMAC-SHA256 key the body is signed with (`X-Lakegate-Signature: sha256=<hex>`). */
    secretEnv: z.string().min(1),
    /** Whose Lake Formation view the KPIs are evaluated on for this receiver (IAM role ARNs, groups, ...). */
    principals: z.array(z.string().min(1)).min(1),
    /** Only these KPIs; default every KPI with thresholds those principals may read. */
    kpis: z.array(z.string()).optional(),
    /** Delivery attempts after the first, with exponential backoff from 500 ms. */
    retries: z.number().int().min(0).max(10).default(3),
  })
  .strict();

const alerts = z.object({ webhooks: z.array(webhook).default([]) }).strict();

const persistedQueries = z
  .object({
    /** off: any document; apq: Apollo's automatic persisted queries; allowlist: only documents of the manifest. */
    mode: z.enum(['off', 'apq', 'allowlist']).default('off'),
    /** With allowlist: the manifest `npm run codegen` writes from the client operations, relative to this file. */
    manifest: z.string().optional(),
  })
  .strict()
  .refine((value) => value.mode !== 'allowlist' || value.manifest !== undefined, { message: 'allowlist needs a manifest', path: ['manifest'] });

/**
 * A string takes `text`, anything else `other`, and each form reports its own issues (a union
 * would only say "Invalid input" of an object missing a key).
 */
function textOr<T extends z.ZodTypeAny>(text: z.ZodString, other: T): z.ZodType<string | z.output<T>, z.ZodTypeDef, unknown> {
  return z.unknown().transform((value, context) => {
    const parsed = (typeof value === 'string' ? text : other).safeParse(value);
    if (parsed.success) return parsed.data as string | z.output<T>;
    for (const issue of parsed.error.issues) context.addIssue(issue);
    return z.NEVER;
  });
}

/** A file holding a JSON list of `get-resource-lf-tags` outputs, each naming its table in `Table`. */
const tagListFile = z.string().min(1);
/** One `get-resource-lf-tags` output, for the table named here. */
const tableTagsFile = z.object({ table: tableName, file: z.string() }).strict();

const lakeFormation = z
  .object({
    /**
     * The AWS account id of the Data Catalog; exports without a CatalogId are taken to be in it.
     * With files it may be left out when the exports name exactly one catalog; live mode needs it.
     */
    catalogId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id').optional(),
    /** A table an LF-Tag grant could match but without a resource-tag export stops start-up (default: a warning). */
    strict: z.boolean().default(false),
    /** Exported `aws lakeformation ...` outputs, relative to this file. */
    files: z
      .object({
        permissions: z.string(),
        dataCellsFilters: z.string().optional(),
        lfTags: z.string().optional(),
        /** A list file, or a list of list files and `{ table, file }` entries (one output each). */
        resourceTags: textOr(tagListFile, z.array(textOr(tagListFile, tableTagsFile))).default([]),
      })
      .strict()
      .optional(),
    /** Read permissions from the Lake Formation API instead of files. */
    live: z
      .object({
        region: z.string(),
        endpoint: z.string().url().optional(),
        refreshSeconds: z.number().int().min(10).default(300),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((value) => Boolean(value.files) !== Boolean(value.live), { message: 'set exactly one of files or live' });

export const configSchema = z
  .object({
    catalog: z
      .object({
        glue: z.object({ files: z.array(z.string()).min(1) }).strict(),
      })
      .strict(),
    engines: z
      .object({ local: localEngine.optional(), athena: athenaEngine.optional(), redshift: redshiftEngine.optional() })
      .strict()
      .refine((value) => Object.values(value).some(Boolean), { message: 'configure at least one engine' }),
    routing: routing.default({}),
    limits: limits.default({}),
    /** Cursor pages (`<dataset>Page`). */
    paging: paging.default({}),
    /** Queries that outlive a request (in Redis for several replicas, else in memory); off when absent. */
    longQueries: longQueries.optional(),
    /** The result cache (KPIs by their freshness; datasets that opt in). */
    cache: cache.default({}),
    budgets: budgets.default({}),
    alerts: alerts.default({}),
    persistedQueries: persistedQueries.default({}),
    auth: auth.default({}),
    lakeFormation: lakeFormation.optional(),
    datasets: z.array(dataset).min(1),
    kpis: z.array(kpi).default([]),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;
export type DatasetConfig = ConfigFile['datasets'][number];
export type KpiConfig = ConfigFile['kpis'][number];
export type AuthConfig = ConfigFile['auth'];
export type LimitsConfig = ConfigFile['limits'];
export type PagingConfig = ConfigFile['paging'];
export type LongQueriesConfig = NonNullable<ConfigFile['longQueries']>;
export type CacheConfig = ConfigFile['cache'];
export type BudgetsConfig = ConfigFile['budgets'];
export type PersistedQueriesConfig = ConfigFile['persistedQueries'];
export type WebhookConfig = ConfigFile['alerts']['webhooks'][number];
export type LocalEngineConfig = NonNullable<ConfigFile['engines']['local']>;
export type AthenaEngineConfig = NonNullable<ConfigFile['engines']['athena']>;
export type RedshiftEngineConfig = NonNullable<ConfigFile['engines']['redshift']>;
export type RoutingConfig = ConfigFile['routing'];
export type LakeFormationConfig = NonNullable<ConfigFile['lakeFormation']>;
