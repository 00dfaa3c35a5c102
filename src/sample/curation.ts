import { LF_FILES, lfResourceTagFiles } from './lakeformation';
import { EU_ANALYSTS_GROUP, LF_CATALOG_ID, SAMPLE_LF_ROLES } from './lakeformation-roles';
import { CLOUDTRAIL, CUSTOMERS, EMPLOYEES, EVENTS, SAMPLE_BUCKET, SAMPLE_DATABASES, TRANSACTIONS, type SampleTable } from './tables';

/**
 * Renders the sample lake's `lakegate.yaml`. Written as a template rather than through a YAML
 * library so it keeps comments a newcomer can learn from; datasets are rendered from the same
 * table definitions as the Glue files, so names cannot drift.
 */

export interface SampleRelation {
  readonly field: string;
  readonly dataset: string;
  readonly kind: 'one' | 'many';
  readonly from: string;
  readonly to: string;
  readonly description: string;
}

export interface SampleDataset {
  readonly name: string;
  readonly type: string;
  readonly table: SampleTable;
  readonly description: string;
  readonly primaryKey: readonly string[];
  readonly relations: readonly SampleRelation[];
}

export const SAMPLE_DATASETS: readonly SampleDataset[] = [
  {
    name: 'customers', type: 'Customer', table: CUSTOMERS, primaryKey: ['customer_id'],
    description: 'Shop customers. Email is personal data and may be masked for your role.',
    relations: [{ field: 'transactions', dataset: 'transactions', kind: 'many', from: 'customer_id', to: 'customer_id', description: 'All transactions paid by this customer.' }],
  },
  {
    name: 'transactions', type: 'Transaction', table: TRANSACTIONS, primaryKey: ['transaction_id'],
    description: 'Payment transactions. Filter on dt (YYYY-MM-DD) to read only the days you need.',
    relations: [{ field: 'customer', dataset: 'customers', kind: 'one', from: 'customer_id', to: 'customer_id', description: 'The customer who paid.' }],
  },
  {
    name: 'events', type: 'Event', table: EVENTS, primaryKey: ['event_id'],
    description: 'Web and app clickstream events, with device and cart contents.',
    relations: [{ field: 'user', dataset: 'customers', kind: 'one', from: 'user_id', to: 'customer_id', description: 'The signed-in customer; null for anonymous visitors.' }],
  },
  {
    name: 'employees', type: 'Employee', table: EMPLOYEES, primaryKey: [],
    description: 'Employees, their organisation, salary and projects. Restricted to HR.',
    relations: [],
  },
  {
    name: 'cloudtrailEvents', type: 'CloudtrailEvent', table: CLOUDTRAIL, primaryKey: [],
    description: 'AWS CloudTrail audit events of the data platform account. Restricted to auditors.',
    relations: [],
  },
];

/**
 * The sample KPIs: each is one field under \`kpis\`, computed on the caller's Lake Formation
 * view of its dataset and answered from the cache while younger than its freshness.
 */
const KPIS_YAML = `# Curated KPIs: \`{ kpis { revenue(grain: DAY) { time value } } }\`. A measure is count, count(col),
# sum(col), avg(col), min(col), max(col), countDistinct(col) or a ratio of two KPIs; \`where\` is the
# measure's own filter in the API's where syntax; \`time\` is the KPI's time axis; freshness is how
# long an answer is served from the cache; refresh recomputes requested series in the background.
kpis:
  - name: revenue
    description: "Revenue of completed transactions, in the transaction currency (split by currency to add up)."
    unit: mixed currency
    format: "#,##0.00"
    dataset: transactions
    measure: sum(amount)
    where: { status: { eq: completed } }
    time: ts
    grains: [HOUR, DAY, WEEK, MONTH]
    defaultRange: P30D
    dimensions: [channel, currency]
    freshness: 5m
    sla: true                 # read from the SLA engine (Redshift when configured)
    refresh: 15m              # recomputed every 15 minutes while someone asked within keepWarm (24h)

  - name: orders
    description: "Number of transactions, whatever their outcome."
    unit: count
    dataset: transactions
    measure: count
    time: ts
    grains: [HOUR, DAY, WEEK, MONTH]
    dimensions: [channel, status]
    freshness: 5m

  - name: activeCustomers
    description: "Distinct customers with at least one transaction."
    unit: customers
    dataset: transactions
    measure: countDistinct(customer_id)
    time: ts
    grains: [HOUR, DAY, WEEK, MONTH]
    dimensions: [channel]
    freshness: 5m

  - name: averageOrderValue
    description: "Completed revenue per transaction (revenue / orders)."
    unit: mixed currency
    format: "#,##0.00"
    dataset: transactions
    ratio: [revenue, orders]
    time: ts
    grains: [HOUR, DAY, WEEK, MONTH]
    dimensions: [channel, currency]
    freshness: 5m

  - name: pageViews
    description: "Page views on the web site and apps."
    unit: count
    dataset: events
    measure: count
    where: { eventType: { eq: page_view } }
    time: ts
    grains: [HOUR, DAY, WEEK, MONTH]
    dimensions: [device.os, page]
    freshness: 5m

  - name: consoleLogins
    description: "AWS console sign-ins in the data platform account."
    unit: count
    dataset: cloudtrailEvents
    measure: count
    where: { eventname: { eq: ConsoleLogin } }
    time: eventtime
    grains: [HOUR, DAY, WEEK, MONTH]
    dimensions: [awsregion]
    freshness: 1m
    thresholds:
      - { above: 10, message: "More than 10 console sign-ins in one bucket" }
`;

/** A double-quoted YAML scalar; JSON string syntax is a subset of YAML's. */
function quote(text: string): string {
  return JSON.stringify(text);
}

function relationYaml(relation: SampleRelation): string {
  return [
    `      ${relation.field}:`,
    `        dataset: ${relation.dataset}`,
    `        kind: ${relation.kind}`,
    `        on: { ${relation.from}: ${relation.to} }   # this dataset's column: the target's column`,
    `        description: ${quote(relation.description)}`,
  ].join('\n');
}

function datasetYaml(dataset: SampleDataset): string {
  const lines = [
    `  - name: ${dataset.name}`,
    `    type: ${dataset.type}`,
    `    table: ${dataset.table.database}.${dataset.table.name}`,
    `    description: ${quote(dataset.description)}`,
  ];
  if (dataset.primaryKey.length > 0) lines.push(`    primaryKey: [${dataset.primaryKey.join(', ')}]`);
  if (dataset.relations.length > 0) lines.push('    relations:', ...dataset.relations.map(relationYaml));
  return lines.join('\n');
}

export function glueFileName(database: string): string {
  return `glue/${database}.json`;
}

/** One comment line per sample role: who it is and the Lake Formation rule it exercises. */
function roleComments(): string {
  const label = (devRole: string | null): string => devRole ?? '(all callers)';
  const lines = [
    ...SAMPLE_LF_ROLES.map((role) => [label(role.devRole), role.summary] as const),
    ['guest', 'authenticated but mapped to no principal: discovery only, no data'] as const,
  ];
  const width = Math.max(...lines.map(([name]) => name.length));
  return lines.map(([name, summary]) => `#   ${name.padEnd(width)}  ${summary}`).join('\n');
}

function lakeFormationYaml(): string {
  return `# Lake Formation permissions, as the AWS CLI exports them from the account's Data Catalog:
#   aws lakeformation list-permissions --catalog-id ${LF_CATALOG_ID} > ${LF_FILES.permissions}
#   aws lakeformation list-data-cells-filter > ${LF_FILES.dataCellsFilters}
#   aws lakeformation list-lf-tags --catalog-id ${LF_CATALOG_ID} > ${LF_FILES.lfTags}
#   aws lakeformation get-resource-lf-tags --resource '{"Table":{"DatabaseName":"sales","Name":"customers"}}' \\
#     > lakeformation/tags/sales.customers.json   (one file per table)
# What each sample role reads (sign a token for one with \`npm run token -- --role NAME\`):
${roleComments()}
lakeFormation:
  catalogId: ${quote(LF_CATALOG_ID)}
  files:
    permissions: ${LF_FILES.permissions}
    dataCellsFilters: ${LF_FILES.dataCellsFilters}
    lfTags: ${LF_FILES.lfTags}
    resourceTags:
${lfResourceTagFiles().map((entry) => `      - { table: ${entry.table}, file: ${entry.file} }`).join('\n')}`;
}

export function curationYaml(): string {
  return `# Lakegate curation file for the generated sample lake.
# Relative paths are resolved against this file's folder.

# Table definitions: \`aws glue get-tables --database-name DB\` output, one file per database.
catalog:
  glue:
    files:
${SAMPLE_DATABASES.map((database) => `      - ${glueFileName(database)}`).join('\n')}

# The embedded engine: DuckDB reads the files under lakePath; a table's S3 location under
# s3Prefix maps to the same path below lakePath.
engines:
  local:
    type: duckdb
    lakePath: .
    s3Prefix: ${SAMPLE_BUCKET}

# Guard rails applied to every request.
limits:
  defaultLimit: 100       # rows returned when a query gives no limit
  maxLimit: 10000         # the largest limit a query may ask for
  maxDepth: 10            # deepest selection nesting (relations of relations)
  queryTimeoutMs: 30000   # engine deadline per query

auth:
  issuer: lakegate-local
  audience: lakegate
  algorithms: [HS256]
  hs256SecretEnv: LAKEGATE_JWT_SECRET   # the HS256 secret is read from this variable
  principals:   # claim -> Lake Formation principal identifiers
    - { claim: role, equals: engineer, principals: ["arn:aws:iam::111122223333:role/DataEngineer"] }
    - { claim: role, equals: analyst, principals: ["arn:aws:iam::111122223333:role/Analyst"] }
    - { claim: role, equals: japan_sales, principals: ["arn:aws:iam::111122223333:role/JapanSales"] }
    - { claim: role, equals: hr, principals: ["arn:aws:iam::111122223333:role/HR"] }
    - { claim: role, equals: marketing, principals: ["arn:aws:iam::111122223333:role/Marketing"] }
    - { claim: role, equals: auditor, principals: ["arn:aws:iam::111122223333:role/Auditor"] }
    # {value} stands for the claim's value (here: an Identity Center group id)
    - { claim: groups, principals: ["arn:aws:identitystore:::group/{value}"] }
  devRoles:     # claims \`npm run token -- --role NAME\` signs (local mode only)
    engineer: { role: engineer }
    analyst: { role: analyst }
    japan_sales: { role: japan_sales }
    hr: { role: hr, org: engineering }
    marketing: { role: marketing }
    auditor: { role: auditor }
    eu_analyst: { groups: [${quote(EU_ANALYSTS_GROUP)}] }   # an Identity Center group, through the groups rule
    guest: { role: guest }        # authenticated, mapped to no principal: discovery only

${lakeFormationYaml()}

# What the API exposes: each dataset is a Glue table under a GraphQL name and type. Column
# documentation comes from the Glue column comments.
datasets:
${SAMPLE_DATASETS.map(datasetYaml).join('\n\n')}

${KPIS_YAML}`;
}
