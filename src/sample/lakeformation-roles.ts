import { literal } from './sql';
import { CLOUDTRAIL, CUSTOMERS, EMPLOYEES, PARTITION_KEY, SAMPLE_DATABASES, SAMPLE_TABLES, TRANSACTIONS, type SampleTable } from './tables';
import { API_CALLS, AWS_ACCOUNT, COUNTRIES, ORGS, SEGMENTS } from './vocabulary';

/**
 * The sample lake's Lake Formation setup: LF-Tags, data cells filters and the grants of one
 * principal per sample role, each role exercising one rule of LAKE_FORMATION.md. Everything is
 * checked against the table definitions and the generator's vocabulary when this module loads,
 * so a renamed column or a dropped country fails the generator instead of shipping a filter
 * that matches nothing.
 */

export const LF_CATALOG_ID = AWS_ACCOUNT;
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';
export const EU_ANALYSTS_GROUP = '9067a1d4-example-analysts-eu';

export function roleArn(name: string): string {
  return `arn:aws:iam::${AWS_ACCOUNT}:role/${name}`;
}

export function groupArn(id: string): string {
  return `arn:aws:identitystore:::group/${id}`;
}

function fail(message: string): never {
  throw new Error(`sample Lake Formation: ${message}`);
}

function tableId(table: SampleTable): string {
  return `${table.database}.${table.name}`;
}

/** Every column Lake Formation knows for the table: data columns, then the partition key. */
export function lfColumnNames(table: SampleTable): string[] {
  return [...table.columns.map((column) => column.name), ...(table.partitioned ? [PARTITION_KEY.name] : [])];
}

function column(table: SampleTable, name: string): string {
  if (!lfColumnNames(table).includes(name)) fail(`${tableId(table)} has no column ${name}`);
  return name;
}

function columns(table: SampleTable, names: readonly string[]): string[] {
  return names.map((name) => column(table, name));
}

// ---------------------------------------------------------------------------------------------
// Row filter text, from values the generator really writes.

const COUNTRY_CODES = COUNTRIES.map((country) => country.code);
const CURRENCIES = COUNTRIES.map((country) => country.currency);
const SEGMENT_VALUES = SEGMENTS.flatMap((segment) => (segment.value === null ? [] : [segment.value]));
const ORG_NAMES = ORGS.map((org) => org.name);
const EVENT_NAMES = API_CALLS.map((call) => call.value.name);

function known(kind: string, values: readonly string[], value: string): string {
  if (!values.includes(value)) fail(`${kind} '${value}' does not occur in the generated data`);
  return literal(value);
}

/** `column = 'value'` (PartiQL), the value checked against the generator's vocabulary. */
function equals(table: SampleTable, name: string, values: readonly string[], value: string): string {
  return `${column(table, name)} = ${known(name, values, value)}`;
}

/** `column IN ('a', 'b')` (PartiQL), every value checked against the generator's vocabulary. */
function isIn(table: SampleTable, name: string, values: readonly string[], chosen: readonly string[]): string {
  return `${column(table, name)} IN (${chosen.map((value) => known(name, values, value)).join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Data cells filters.

export type SampleColumnSpec =
  | { readonly names: readonly string[] }
  /** ColumnWildcard: every column except these (possibly none). */
  | { readonly excluded: readonly string[] };

export interface SampleCellsFilter {
  readonly name: string;
  readonly table: SampleTable;
  /** PartiQL row filter; null for AllRowsWildcard. */
  readonly rowFilter: string | null;
  readonly columns: SampleColumnSpec;
}

function cellsFilter(name: string, table: SampleTable, rowFilter: string | null, spec: SampleColumnSpec): SampleCellsFilter {
  const checked: SampleColumnSpec = 'names' in spec ? { names: columns(table, spec.names) } : { excluded: columns(table, spec.excluded) };
  return { name, table, rowFilter, columns: checked };
}

export const JP_CUSTOMERS = cellsFilter('jp_customers', CUSTOMERS, equals(CUSTOMERS, 'country', COUNTRY_CODES, 'JP'), { excluded: ['email'] });
export const JP_TRANSACTIONS = cellsFilter('jp_transactions', TRANSACTIONS, equals(TRANSACTIONS, 'currency', CURRENCIES, 'JPY'), { excluded: [] });
export const EMPLOYEES_PUBLIC = cellsFilter('employees_public', EMPLOYEES, null, { names: ['name', 'org', 'projects'] });
export const EMPLOYEES_ENGINEERING_SALARY = cellsFilter(
  'employees_engineering_salary', EMPLOYEES, equals(EMPLOYEES, 'org', ORG_NAMES, 'engineering'), { names: ['name', 'org', 'salary'] },
);
export const CLOUDTRAIL_CONSOLE_LOGINS = cellsFilter(
  'cloudtrail_console_logins', CLOUDTRAIL, equals(CLOUDTRAIL, 'eventname', EVENT_NAMES, 'ConsoleLogin'), { excluded: [] },
);
export const EU_CUSTOMERS_CONTACT = cellsFilter(
  'eu_customers_contact', CUSTOMERS, isIn(CUSTOMERS, 'country', COUNTRY_CODES, ['DE', 'FR', 'GB']), { names: ['customer_id', 'name', 'email', 'country'] },
);
export const HIGH_VALUE_SEGMENT = cellsFilter(
  'high_value_segment', CUSTOMERS, equals(CUSTOMERS, 'segment', SEGMENT_VALUES, 'enterprise'), { names: ['customer_id', 'name', 'country', 'segment', 'created_at'] },
);

export const SAMPLE_CELLS_FILTERS: readonly SampleCellsFilter[] = [
  JP_CUSTOMERS, JP_TRANSACTIONS, EMPLOYEES_PUBLIC, EMPLOYEES_ENGINEERING_SALARY, CLOUDTRAIL_CONSOLE_LOGINS, EU_CUSTOMERS_CONTACT, HIGH_VALUE_SEGMENT,
];

// ---------------------------------------------------------------------------------------------
// LF-Tags: definitions, database assignments and column overrides.

export interface SampleTagDefinition {
  readonly key: string;
  readonly values: readonly string[];
}

export const SAMPLE_LF_TAGS: readonly SampleTagDefinition[] = [
  { key: 'domain', values: [...SAMPLE_DATABASES] },
  { key: 'sensitivity', values: ['public', 'pii', 'confidential'] },
];

/** One key with one value, as assigned to a resource (keys in definition order). */
export type SampleTags = Readonly<Record<string, string>>;

function tags(assigned: SampleTags): SampleTags {
  for (const [key, value] of Object.entries(assigned)) {
    const definition = SAMPLE_LF_TAGS.find((tag) => tag.key === key) ?? fail(`LF-Tag ${key} is not defined`);
    if (!definition.values.includes(value)) fail(`LF-Tag ${key} has no value ${value}`);
  }
  return assigned;
}

export const DATABASE_TAGS: Readonly<Record<string, SampleTags>> = {
  sales: tags({ domain: 'sales', sensitivity: 'public' }),
  web: tags({ domain: 'web', sensitivity: 'public' }),
  hr: tags({ domain: 'hr', sensitivity: 'confidential' }),
  security: tags({ domain: 'security', sensitivity: 'confidential' }),
};

export interface SampleColumnTags {
  readonly table: SampleTable;
  readonly column: string;
  readonly tags: SampleTags;
}

export const COLUMN_TAGS: readonly SampleColumnTags[] = [
  { table: CUSTOMERS, column: column(CUSTOMERS, 'name'), tags: tags({ sensitivity: 'pii' }) },
  { table: CUSTOMERS, column: column(CUSTOMERS, 'email'), tags: tags({ sensitivity: 'pii' }) },
  { table: EMPLOYEES, column: column(EMPLOYEES, 'salary'), tags: tags({ sensitivity: 'confidential' }) },
];

for (const database of SAMPLE_DATABASES) if (!DATABASE_TAGS[database]) fail(`database ${database} has no LF-Tags`);

/** Effective tags of a table (inherited from its database; the sample sets none on tables). */
export function tableTags(table: SampleTable): SampleTags {
  return DATABASE_TAGS[table.database] ?? fail(`database ${table.database} has no LF-Tags`);
}

/** Effective tags of a column: the table's, a column-level assignment overriding a key. */
export function columnTags(table: SampleTable, name: string): SampleTags {
  const overrides = COLUMN_TAGS.filter((entry) => entry.table === table && entry.column === name);
  return Object.assign({}, tableTags(table), ...overrides.map((entry) => entry.tags)) as SampleTags;
}

// ---------------------------------------------------------------------------------------------
// Grants.

export type SampleGrantTarget =
  | { readonly kind: 'database'; readonly database: string }
  | { readonly kind: 'table'; readonly table: SampleTable }
  | { readonly kind: 'tableWildcard'; readonly database: string }
  | { readonly kind: 'columns'; readonly table: SampleTable; readonly columns: SampleColumnSpec }
  | { readonly kind: 'cellsFilter'; readonly filter: SampleCellsFilter }
  | { readonly kind: 'tagPolicy'; readonly resourceType: 'DATABASE' | 'TABLE'; readonly expression: Readonly<Record<string, readonly string[]>> };

export interface SampleGrant {
  readonly target: SampleGrantTarget;
  readonly permissions: readonly string[];
}

export interface SampleLfRole {
  /** The devRole in lakegate.yaml whose claims map to `principal`; null for IAM_ALLOWED_PRINCIPALS. */
  readonly devRole: string | null;
  readonly principal: string;
  /** One line for the comment block in lakegate.yaml. */
  readonly summary: string;
  readonly grants: readonly SampleGrant[];
}

function database(name: string): string {
  if (!SAMPLE_DATABASES.includes(name)) fail(`no database ${name}`);
  return name;
}

function tagExpression(expression: Readonly<Record<string, readonly string[]>>): Readonly<Record<string, readonly string[]>> {
  for (const [key, values] of Object.entries(expression)) for (const value of values) tags({ [key]: value });
  return expression;
}

function withColumns(table: SampleTable, spec: SampleColumnSpec): SampleGrantTarget {
  return { kind: 'columns', table, columns: 'names' in spec ? { names: columns(table, spec.names) } : { excluded: columns(table, spec.excluded) } };
}

const SELECT = ['SELECT'] as const;
const DESCRIBE = ['DESCRIBE'] as const;

export const SAMPLE_LF_ROLES: readonly SampleLfRole[] = [
  {
    devRole: 'engineer',
    principal: roleArn('DataEngineer'),
    summary: 'the data platform team: every table of every database (table wildcards)',
    grants: SAMPLE_DATABASES.map((name) => ({ target: { kind: 'tableWildcard', database: database(name) }, permissions: SELECT })),
  },
  {
    devRole: 'analyst',
    principal: roleArn('Analyst'),
    summary: 'named grants: sales.customers minus email (column wildcard), all of sales.transactions, every web table',
    grants: [
      { target: withColumns(CUSTOMERS, { excluded: ['email'] }), permissions: SELECT },
      { target: { kind: 'table', table: TRANSACTIONS }, permissions: SELECT },
      { target: { kind: 'tableWildcard', database: database('web') }, permissions: ['SELECT', 'DESCRIBE'] },
    ],
  },
  {
    devRole: 'japan_sales',
    principal: roleArn('JapanSales'),
    summary: "row filters: customers with country = 'JP' (no email), transactions with currency = 'JPY' (all columns)",
    grants: [
      { target: { kind: 'cellsFilter', filter: JP_CUSTOMERS }, permissions: SELECT },
      { target: { kind: 'cellsFilter', filter: JP_TRANSACTIONS }, permissions: SELECT },
    ],
  },
  {
    devRole: 'hr',
    principal: roleArn('HR'),
    summary: 'cell masking: every employee without salary, plus salary for org = engineering only (null elsewhere)',
    grants: [
      { target: { kind: 'cellsFilter', filter: EMPLOYEES_PUBLIC }, permissions: SELECT },
      { target: { kind: 'cellsFilter', filter: EMPLOYEES_ENGINEERING_SALARY }, permissions: SELECT },
    ],
  },
  {
    devRole: 'marketing',
    principal: roleArn('Marketing'),
    summary: 'LF-Tags: tables tagged domain in (sales, web) and sensitivity = public; pii columns (customer name, email) drop out',
    grants: [
      { target: { kind: 'tagPolicy', resourceType: 'TABLE', expression: tagExpression({ domain: ['sales', 'web'], sensitivity: ['public'] }) }, permissions: SELECT },
      { target: { kind: 'tagPolicy', resourceType: 'DATABASE', expression: tagExpression({ domain: ['sales'] }) }, permissions: DESCRIBE },
    ],
  },
  {
    devRole: 'auditor',
    principal: roleArn('Auditor'),
    summary: "DESCRIBE only on hr.employees (listed, not readable); security.cloudtrail rows with eventname = 'ConsoleLogin'",
    grants: [
      { target: { kind: 'table', table: EMPLOYEES }, permissions: DESCRIBE },
      { target: { kind: 'cellsFilter', filter: CLOUDTRAIL_CONSOLE_LOGINS }, permissions: SELECT },
    ],
  },
  {
    devRole: 'eu_analyst',
    principal: groupArn(EU_ANALYSTS_GROUP),
    summary: 'Identity Center group, two overlapping filters on sales.customers: union of rows; email null on enterprise-only rows, segment and created_at on EU-only rows',
    grants: [
      { target: { kind: 'cellsFilter', filter: EU_CUSTOMERS_CONTACT }, permissions: SELECT },
      { target: { kind: 'cellsFilter', filter: HIGH_VALUE_SEGMENT }, permissions: SELECT },
    ],
  },
  {
    devRole: null,
    principal: IAM_ALLOWED_PRINCIPALS,
    summary: 'IAM_ALLOWED_PRINCIPALS: DESCRIBE on database web only, which makes nothing readable',
    grants: [{ target: { kind: 'database', database: database('web') }, permissions: DESCRIBE }],
  },
];

/** The tables a `get-resource-lf-tags` file is written for: every sample table. */
export const TAGGED_TABLES: readonly SampleTable[] = SAMPLE_TABLES;
