import { z } from 'zod';
import { durationMs } from './duration';

/** The curation part of the configuration: datasets (over Glue tables) and KPIs, with the names they take in the API. */

const graphqlName = z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'must be a GraphQL name ([_A-Za-z][_0-9A-Za-z]*)');
export const tableName = z.string().regex(/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/, 'must be "database.table"');

const columnOverride = z
  .object({
    field: graphqlName.optional(),
    description: z.string().optional(),
  })
  .strict();

const relation = z
  .object({
    dataset: z.string(),
    kind: z.enum(['one', 'many']),
    on: z.record(z.string(), z.string()).refine((on) => Object.keys(on).length === 1, 'must map exactly one column of this dataset to one column of the target'),
    description: z.string().optional(),
  })
  .strict();

export const dataset = z
  .object({
    name: graphqlName,
    type: graphqlName,
    table: tableName,
    description: z.string().optional(),
    primaryKey: z.array(z.string()).default([]),
    columns: z.record(z.string(), columnOverride).default({}),
    hiddenColumns: z.array(z.string()).default([]),
    relations: z.record(graphqlName, relation).default({}),
    /** Engines holding the table; default: every configured engine. */
    engines: z.array(z.string()).min(1).optional(),
    /** SLA-bound: routed to the SLA engine (Redshift) rather than the ad-hoc one (Athena). */
    sla: z.boolean().default(false),
    /** Route every read of this dataset to this engine (for a dataset present on several). */
    engine: z.string().optional(),
    /** Answers of this dataset's reads and aggregates are cached this long (off by default). */
    cache: z.object({ ttl: durationMs({ min: 1 }) }).strict().optional(),
    /** Reads, aggregates and KPIs must filter on a partition column (else LIMIT_EXCEEDED before anything runs). */
    requirePartitionFilter: z.boolean().default(false),
  })
  .strict();

const GRAINS = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
/** A grain as the API spells it (`HOUR`), or in lower case. */
const grain = z.string().transform((text, context) => {
  const value = text.toLowerCase();
  if ((GRAINS as readonly string[]).includes(value)) return value as (typeof GRAINS)[number];
  context.addIssue({ code: z.ZodIssueCode.custom, message: `"${text}" is not a grain (${GRAINS.map((g) => g.toUpperCase()).join(', ')})` });
  return z.NEVER;
});

const kpiThreshold = z
  .object({
    above: z.number().optional(),
    below: z.number().optional(),
    /** Only for points with these dimension values, e.g. `{ channel: web }`. */
    dimensions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    message: z.string().optional(),
  })
  .strict()
  .refine((value) => value.above !== undefined || value.below !== undefined, { message: 'set above, below, or both' });

const kpiPair = z.tuple([graphqlName, graphqlName]);

export const kpi = z
  .object({
    name: graphqlName,
    description: z.string().default(''),
    unit: z.string().default(''),
    /** A display hint for clients, e.g. `#,##0.00`; not applied by the server. */
    format: z.string().optional(),
    dataset: z.string(),
    /** `count`, `count(col)`, `sum(col)`, `avg(col)`, `min(col)`, `max(col)`, `countDistinct(col)` (col may be a struct path `device.os`), or `{ ratio: [kpiA, kpiB] }`. */
    measure: z.union([z.string(), z.object({ ratio: kpiPair }).strict()]).optional(),
    /** The ratio of two other KPIs' measures (instead of `measure`). */
    ratio: kpiPair.optional(),
    /** The measure's own filter, in the API's `where` syntax: `{ status: { eq: completed } }`. */
    where: z.record(z.string(), z.unknown()).optional(),
    /** A timestamp or date column. */
    time: z.string(),
    /** Default: every grain the time column has. */
    grains: z.array(grain).min(1).optional(),
    /** ISO-8601 duration ending at the latest data the caller can see: P30D, P12M, PT6H. */
    defaultRange: z.string().default('P30D'),
    /** Scalar columns or struct paths (`device.os`). */
    dimensions: z.array(z.string()).default([]),
    freshness: durationMs({ min: 1 }).default('5m'),
    sla: z.boolean().default(false),
    refresh: durationMs({ min: 1 }).optional(),
    keepWarm: durationMs({ min: 1 }).default('24h'),
    thresholds: z.array(kpiThreshold).default([]),
  })
  .strict()
  .refine((value) => (value.measure === undefined) !== (value.ratio === undefined), { message: 'set exactly one of measure or ratio', path: ['measure'] });
