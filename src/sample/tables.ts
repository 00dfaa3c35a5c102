/**
 * The sample lake's table definitions: the one source the Glue catalog, the curation file and
 * the generated files' column order are all built from, so the three cannot drift apart.
 */

export type SampleFormat = 'parquet' | 'json';

export interface SampleColumn {
  readonly name: string;
  /** Hive type text exactly as Glue stores it, e.g. `array<struct<sku:string,qty:int>>`. */
  readonly type: string;
  readonly comment: string;
}

export interface SampleTable {
  readonly database: string;
  readonly name: string;
  readonly description: string;
  readonly format: SampleFormat;
  /** Hive-partitioned by `dt` (a `YYYY-MM-DD` string) when true. */
  readonly partitioned: boolean;
  readonly columns: readonly SampleColumn[];
}

export const SAMPLE_BUCKET = 's3://lakegate-sample/';
export const PARTITION_KEY: SampleColumn = {
  name: 'dt',
  type: 'string',
  comment: 'Partition: the UTC day the row belongs to, as YYYY-MM-DD.',
};

/** Folder of a table relative to the lake root; also the tail of its S3 location. */
export function tableFolder(table: SampleTable): string {
  return `${table.database}/${table.name}`;
}

export function tableLocation(table: SampleTable): string {
  return `${SAMPLE_BUCKET}${tableFolder(table)}/`;
}

export const CUSTOMERS: SampleTable = {
  database: 'sales',
  name: 'customers',
  description: 'Registered customers of the shop, one row per customer account.',
  format: 'parquet',
  partitioned: false,
  columns: [
    { name: 'customer_id', type: 'bigint', comment: 'Unique customer identifier.' },
    { name: 'name', type: 'string', comment: 'Full display name; may contain non-ASCII characters.' },
    { name: 'email', type: 'string', comment: 'Contact e-mail address (personal data).' },
    { name: 'country', type: 'string', comment: 'ISO 3166-1 alpha-2 country of residence, e.g. JP or US.' },
    { name: 'segment', type: 'string', comment: 'Marketing segment: consumer, smb or enterprise; null when not yet classified.' },
    { name: 'created_at', type: 'timestamp', comment: 'When the account was opened (UTC).' },
  ],
};

export const TRANSACTIONS: SampleTable = {
  database: 'sales',
  name: 'transactions',
  description: 'Payment transactions, one row per checkout attempt, partitioned by day.',
  format: 'parquet',
  partitioned: true,
  columns: [
    { name: 'transaction_id', type: 'bigint', comment: 'Unique transaction identifier, increasing over time.' },
    { name: 'customer_id', type: 'bigint', comment: 'The paying customer (sales.customers.customer_id).' },
    { name: 'amount', type: 'decimal(12,2)', comment: 'Amount charged, in the transaction currency.' },
    { name: 'currency', type: 'string', comment: 'ISO 4217 currency code, following the customer\'s country.' },
    { name: 'status', type: 'string', comment: 'Outcome: completed, refunded, failed or pending.' },
    { name: 'channel', type: 'string', comment: 'Where the purchase happened: web, app or store; null when unknown.' },
    { name: 'ts', type: 'timestamp', comment: 'When the transaction happened (UTC), within the dt day.' },
  ],
};

export const EVENTS: SampleTable = {
  database: 'web',
  name: 'events',
  description: 'Clickstream events from the web shop and apps, partitioned by day.',
  format: 'json',
  partitioned: true,
  columns: [
    { name: 'event_id', type: 'string', comment: 'Unique event identifier.' },
    { name: 'user_id', type: 'bigint', comment: 'Signed-in customer (sales.customers.customer_id); null for anonymous visitors.' },
    { name: 'session_id', type: 'string', comment: 'Browsing session the event belongs to.' },
    { name: 'event_type', type: 'string', comment: 'What happened: page_view, search, add_to_cart or purchase.' },
    { name: 'page', type: 'string', comment: 'Path of the page the event happened on.' },
    { name: 'ts', type: 'timestamp', comment: 'When the event happened (UTC), within the dt day.' },
    { name: 'device', type: 'struct<os:string,browser:string>', comment: 'Client device: operating system and browser (browser null when not reported).' },
    { name: 'items', type: 'array<struct<sku:string,qty:int>>', comment: 'Cart lines for add_to_cart and purchase events; empty otherwise.' },
  ],
};

export const EMPLOYEES: SampleTable = {
  database: 'hr',
  name: 'employees',
  description: 'Company employees with their organisation, salary and projects (confidential).',
  format: 'json',
  partitioned: false,
  columns: [
    { name: 'name', type: 'string', comment: 'Employee full name.' },
    { name: 'org', type: 'string', comment: 'Organisation: engineering, sales, marketing, finance or hr.' },
    { name: 'salary', type: 'int', comment: 'Yearly base salary in USD (confidential).' },
    { name: 'projects', type: 'array<struct<name:string,completed:boolean>>', comment: 'Projects the employee works or worked on, and whether each is completed.' },
  ],
};

export const CLOUDTRAIL: SampleTable = {
  database: 'security',
  name: 'cloudtrail',
  description: 'AWS CloudTrail management events for the data platform account, partitioned by day.',
  format: 'json',
  partitioned: true,
  columns: [
    { name: 'eventtime', type: 'timestamp', comment: 'When the API call was made (UTC).' },
    { name: 'eventname', type: 'string', comment: 'API action, e.g. GetObject or AssumeRole.' },
    { name: 'eventsource', type: 'string', comment: 'AWS service endpoint that received the call, e.g. s3.amazonaws.com.' },
    { name: 'useridentity', type: 'struct<type:string,arn:string>', comment: 'Caller identity: identity type and ARN (arn null for AWS services).' },
    { name: 'sourceipaddress', type: 'string', comment: 'Caller IP address, or the calling service name for AWS services.' },
    { name: 'awsregion', type: 'string', comment: 'AWS region the call was made in.' },
  ],
};

export const SAMPLE_TABLES: readonly SampleTable[] = [CUSTOMERS, TRANSACTIONS, EVENTS, EMPLOYEES, CLOUDTRAIL];

/** Databases in catalog order: one Glue file each. */
export const SAMPLE_DATABASES: readonly string[] = ['sales', 'web', 'hr', 'security'];
