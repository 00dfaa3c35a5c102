import { z } from 'zod';

/** The engines part of the configuration: the embedded engine, Athena, Redshift, and how reads are routed among them. */

export const localEngine = z
  .object({
    type: z.literal('duckdb'),
    /** Folder holding the lake's files; S3 locations under `s3Prefix` map into it. */
    lakePath: z.string(),
    s3Prefix: z.string().regex(/^s3:\/\/.+\/$/, 'must look like s3://bucket/prefix/'),
    threads: z.number().int().min(1).max(64).optional(),
    memoryLimit: z.string().optional(),
  })
  .strict();

export const athenaEngine = z
  .object({
    region: z.string(),
    workGroup: z.string().default('primary'),
    catalog: z.string().default('AwsDataCatalog'),
    /** S3 result location; leave unset when the workgroup enforces its own. */
    outputLocation: z.string().regex(/^s3:\/\/.+/, 'must be an s3:// location').optional(),
    /** Let Athena answer from an identical query's results up to this many minutes old. */
    resultReuseMinutes: z.number().int().min(1).max(10080).optional(),
    /** For an Athena-compatible endpoint (tests, VPC endpoints). */
    endpoint: z.string().url().optional(),
  })
  .strict();

/** Glue database → the Redshift schema holding its tables; a database not named reads from a schema of its own name. */
const redshiftSchemas = z.record(z.string(), z.string().min(1)).default({});

export const redshiftEngine = z
  .discriminatedUnion('mode', [
    z.object({
      mode: z.literal('data-api'),
      region: z.string(),
      database: z.string(),
      clusterIdentifier: z.string().optional(),
      workgroupName: z.string().optional(),
      secretArn: z.string().optional(),
      dbUser: z.string().optional(),
      endpoint: z.string().url().optional(),
      schemas: redshiftSchemas,
    }).strict(),
    z.object({
      mode: z.literal('pg'),
      /** postgres://user@host:5439/db — the password from PGPASSWORD or the URL. */
      connectionString: z.string(),
      maxConnections: z.number().int().min(1).max(100).default(10),
      schemas: redshiftSchemas,
    }).strict(),
  ])
  .superRefine((value, context) => {
    if (value.mode !== 'data-api') return;
    const problem = (message: string): void => context.addIssue({ code: z.ZodIssueCode.custom, message });
    if (Boolean(value.clusterIdentifier) === Boolean(value.workgroupName)) problem('set exactly one of clusterIdentifier (provisioned) or workgroupName (serverless)');
    if (value.secretArn && value.dbUser) problem('set at most one of secretArn or dbUser (neither: the caller\'s IAM identity)');
    if (value.dbUser && !value.clusterIdentifier) problem('dbUser needs a clusterIdentifier (serverless uses secretArn)');
  });

export const routing = z
  .object({
    /** Engine for ad-hoc reads; default athena when configured, else local. */
    adHoc: z.string().optional(),
    /** Engine for SLA-bound datasets; default redshift when configured, else the ad-hoc engine. */
    sla: z.string().optional(),
    /** engine → engine to use when it is unavailable. */
    fallbacks: z.record(z.string(), z.string()).default({}),
  })
  .strict();
