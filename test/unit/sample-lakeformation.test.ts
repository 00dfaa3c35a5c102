import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { mapClaimsToPrincipals } from '../../src/auth/principals';
import { parseGlueTables } from '../../src/catalog/glue';
import type { GlueTable } from '../../src/catalog/types';
import { loadConfig } from '../../src/config/load';
import { configSchema, type ConfigFile } from '../../src/config/schema';
import type { DataCellsFilter, LFTagPair, PrincipalResourcePermissions, Resource } from '../../src/policy/lf-types';
import { generateSampleLake } from '../../src/sample/generate';
import type { GetResourceLFTagsJson } from '../../src/sample/lakeformation';

/**
 * The sample lake's Lake Formation exports: CLI shapes, references that resolve (tables, columns,
 * filters, tag values, principals), row filters that match generated rows, and — through a small
 * reference evaluation of LAKE_FORMATION.md — what each sample role can read.
 */

const ROWS = 500;
const ACCOUNT = '111122223333';
const PREFIX = 's3://lakegate-sample/';
const DATABASES = ['sales', 'web', 'hr', 'security'];
const RESOURCE_KINDS = ['Catalog', 'Database', 'Table', 'TableWithColumns', 'DataCellsFilter', 'LFTagPolicy', 'LFTag', 'DataLocation'];
const PERMISSIONS = ['ALL', 'SELECT', 'ALTER', 'DROP', 'DELETE', 'INSERT', 'DESCRIBE', 'CREATE_DATABASE', 'CREATE_TABLE', 'DATA_LOCATION_ACCESS', 'CREATE_LF_TAG', 'ASSOCIATE'];

let workDir = '';
let lake = '';
let config: ConfigFile;
let permissions: PrincipalResourcePermissions[] = [];
let filters: DataCellsFilter[] = [];
let tagDefinitions: (LFTagPair & { CatalogId: string })[] = [];
const tableTags = new Map<string, GetResourceLFTagsJson>();
const tables = new Map<string, GlueTable>();

/** The sample names one `get-resource-lf-tags` output per table: `{ table, file }` entries only. */
function perTableTagFiles(resourceTags: NonNullable<NonNullable<ConfigFile['lakeFormation']>['files']>['resourceTags']): { table: string; file: string }[] {
  assert.ok(Array.isArray(resourceTags), 'resourceTags is a list of entries');
  return resourceTags.filter((entry): entry is { table: string; file: string } => typeof entry !== 'string');
}

function readJson<T>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(lake, relative), 'utf8')) as T;
}

function glueTable(id: string): GlueTable {
  const table = tables.get(id);
  assert.ok(table, `${id} is a Glue table`);
  return table;
}

function columnNames(id: string): string[] {
  return glueTable(id).columns.map((column) => column.name);
}

before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakegate-lf-'));
  lake = path.join(workDir, 'lake');
  await generateSampleLake({ outDir: lake, rows: ROWS });
  for (const database of DATABASES) {
    const file = path.join(lake, 'glue', `${database}.json`);
    const parsed = parseGlueTables(JSON.parse(fs.readFileSync(file, 'utf8')), file);
    assert.deepEqual(parsed.issues, []);
    for (const table of parsed.value) tables.set(`${table.database}.${table.name}`, table);
  }
  const parsed = configSchema.safeParse(parseYaml(fs.readFileSync(path.join(lake, 'lakegate.yaml'), 'utf8')));
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues));
  config = parsed.data;
  const files = config.lakeFormation?.files;
  assert.ok(files, 'lakegate.yaml has lakeFormation.files');
  permissions = readJson<{ PrincipalResourcePermissions: PrincipalResourcePermissions[] }>(files.permissions).PrincipalResourcePermissions;
  filters = readJson<{ DataCellsFilters: DataCellsFilter[] }>(files.dataCellsFilters ?? '').DataCellsFilters;
  tagDefinitions = readJson<{ LFTags: (LFTagPair & { CatalogId: string })[] }>(files.lfTags ?? '').LFTags;
  for (const entry of perTableTagFiles(files.resourceTags)) tableTags.set(entry.table, readJson<GetResourceLFTagsJson>(entry.file));
});

after(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('sample Lake Formation exports: files and config', () => {
  test('lakegate.yaml points at the four kinds of export, one tags file per table', () => {
    assert.equal(config.lakeFormation?.catalogId, ACCOUNT);
    assert.equal(config.lakeFormation?.live, undefined);
    assert.deepEqual(config.lakeFormation?.files, {
      permissions: 'lakeformation/list-permissions.json',
      dataCellsFilters: 'lakeformation/list-data-cells-filter.json',
      lfTags: 'lakeformation/list-lf-tags.json',
      resourceTags: [...tables.keys()].map((id) => ({ table: id, file: `lakeformation/tags/${id}.json` })),
    });
    const text = fs.readFileSync(path.join(lake, 'lakegate.yaml'), 'utf8');
    for (const role of Object.keys(config.auth.devRoles)) assert.match(text, new RegExp(`^#\\s+${role}\\s{2,}\\S.*$`, 'm'), `a comment line explains ${role}`);
    assert.match(text, /^#\s+.*IAM_ALLOWED_PRINCIPALS.*$/m);
  });

  test('lakegate.yaml loads with no issues', () => {
    const loaded = loadConfig(path.join(lake, 'lakegate.yaml'));
    assert.deepEqual(loaded.issues, []);
    assert.ok(loaded.value);
  });

  test('files are JSON as the CLI prints it: 4-space indent, one top-level key', () => {
    const files = config.lakeFormation!.files!;
    const expected: [string, string[]][] = [
      [files.permissions, ['PrincipalResourcePermissions']],
      [files.dataCellsFilters!, ['DataCellsFilters']],
      [files.lfTags!, ['LFTags']],
      ...perTableTagFiles(files.resourceTags).map((entry): [string, string[]] => [entry.file, ['LFTagOnDatabase', 'LFTagsOnTable', 'LFTagsOnColumns']]),
    ];
    for (const [file, keys] of expected) {
      const text = fs.readFileSync(path.join(lake, file), 'utf8');
      const document = JSON.parse(text) as object;
      assert.deepEqual(Object.keys(document), keys, file);
      assert.equal(text, `${JSON.stringify(document, null, 4)}\n`, file);
    }
  });
});

describe('sample Lake Formation exports: list-permissions', () => {
  test('every grant names one principal, one resource kind and known permissions, without grant option', () => {
    assert.ok(permissions.length > 0);
    for (const [index, grant] of permissions.entries()) {
      const where = `PrincipalResourcePermissions[${index}]`;
      assert.deepEqual(Object.keys(grant), ['Principal', 'Resource', 'Permissions', 'PermissionsWithGrantOption'], where);
      assert.deepEqual(Object.keys(grant.Principal), ['DataLakePrincipalIdentifier'], where);
      const kinds = Object.keys(grant.Resource);
      assert.equal(kinds.length, 1, `${where} has exactly one resource kind, got ${kinds.join(', ')}`);
      assert.ok(RESOURCE_KINDS.includes(kinds[0]!), `${where} kind ${kinds[0]}`);
      assert.ok(grant.Permissions.length > 0 && grant.Permissions.every((permission) => PERMISSIONS.includes(permission)), where);
      assert.deepEqual(grant.PermissionsWithGrantOption, [], where);
      const body = Object.values(grant.Resource)[0] as Record<string, unknown>;
      assert.equal(kinds[0] === 'DataCellsFilter' ? body['TableCatalogId'] : body['CatalogId'], ACCOUNT, `${where} names the catalog`);
    }
  });

  test('table and column grants name existing tables and columns', () => {
    for (const { Resource: resource } of permissions) {
      if (resource.Database) assert.ok(DATABASES.includes(resource.Database.Name));
      if (resource.Table) {
        assert.ok(DATABASES.includes(resource.Table.DatabaseName));
        assert.ok((resource.Table.Name === undefined) !== (resource.Table.TableWildcard === undefined), 'Name or TableWildcard');
        if (resource.Table.Name) glueTable(`${resource.Table.DatabaseName}.${resource.Table.Name}`);
      }
      if (resource.TableWithColumns) {
        const { DatabaseName, Name, ColumnNames, ColumnWildcard } = resource.TableWithColumns;
        assert.ok((ColumnNames === undefined) !== (ColumnWildcard === undefined), 'ColumnNames or ColumnWildcard');
        const known = columnNames(`${DatabaseName}.${Name}`);
        for (const name of [...(ColumnNames ?? []), ...(ColumnWildcard?.ExcludedColumnNames ?? [])]) assert.ok(known.includes(name), name);
      }
    }
  });

  test('every principal is reachable from a devRole through the claim mapping, except IAM_ALLOWED_PRINCIPALS', () => {
    const reachable = new Set(Object.values(config.auth.devRoles).flatMap((claims) => mapClaimsToPrincipals(claims, config.auth.principals)));
    const principals = new Set(permissions.map((grant) => grant.Principal.DataLakePrincipalIdentifier));
    for (const principal of principals) {
      if (principal === 'IAM_ALLOWED_PRINCIPALS') continue;
      assert.ok(reachable.has(principal), `${principal} is reachable from a devRole`);
    }
    assert.ok(principals.has(`arn:aws:identitystore:::group/9067a1d4-example-analysts-eu`));
    assert.deepEqual(
      permissions.filter((grant) => grant.Principal.DataLakePrincipalIdentifier === 'IAM_ALLOWED_PRINCIPALS'),
      [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Resource: { Database: { CatalogId: ACCOUNT, Name: 'web' } }, Permissions: ['DESCRIBE'], PermissionsWithGrantOption: [] }],
    );
  });
});

describe('sample Lake Formation exports: data cells filters', () => {
  test('every filter names an existing table and columns, one row spec and one column spec', () => {
    assert.ok(filters.length > 0);
    for (const filter of filters) {
      const id = `${filter.DatabaseName}.${filter.TableName}`;
      assert.equal(filter.TableCatalogId, ACCOUNT, filter.Name);
      const known = columnNames(id);
      assert.ok((filter.ColumnNames === undefined) !== (filter.ColumnWildcard === undefined), `${filter.Name}: ColumnNames or ColumnWildcard`);
      for (const name of [...(filter.ColumnNames ?? []), ...(filter.ColumnWildcard?.ExcludedColumnNames ?? [])]) {
        assert.ok(known.includes(name), `${filter.Name}: ${id} has column ${name}`);
      }
      assert.ok(filter.RowFilter, filter.Name);
      assert.ok((filter.RowFilter.FilterExpression === undefined) !== (filter.RowFilter.AllRowsWildcard === undefined), `${filter.Name}: FilterExpression or AllRowsWildcard`);
      const expression = filter.RowFilter.FilterExpression;
      if (expression !== undefined) {
        assert.ok(expression.length < 2048, filter.Name);
        const referenced = [...expression.replace(/'[^']*'/g, '').matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((match) => match[0]).filter((word) => !['IN', 'AND', 'OR', 'NOT'].includes(word));
        for (const name of referenced) assert.ok(known.includes(name), `${filter.Name}: row filter column ${name}`);
      }
    }
    assert.equal(new Set(filters.map((filter) => `${filter.DatabaseName}.${filter.TableName}.${filter.Name}`)).size, filters.length, 'filter names are unique per table');
  });

  test('every filter is granted, and every granted filter exists', () => {
    const key = (database: string, table: string, name: string): string => `${database}.${table}.${name}`;
    const defined = new Set(filters.map((filter) => key(filter.DatabaseName, filter.TableName, filter.Name)));
    const granted = new Set(permissions.flatMap(({ Resource: resource }) =>
      resource.DataCellsFilter ? [key(resource.DataCellsFilter.DatabaseName, resource.DataCellsFilter.TableName, resource.DataCellsFilter.Name)] : []));
    assert.deepEqual([...granted].sort(), [...defined].sort());
    for (const { Resource: resource } of permissions) if (resource.DataCellsFilter) assert.equal(resource.DataCellsFilter.TableCatalogId, ACCOUNT);
  });

  test('row filters match generated rows; the overlapping filters each cover rows the other does not', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      const count = async (id: string, where: string): Promise<number> => {
        const reader = readerSql(glueTable(id));
        const rows = (await connection.runAndReadAll(`SELECT count(*)::INTEGER FROM ${reader} WHERE ${where}`)).getRows();
        return Number(rows[0]?.[0]);
      };
      const expressionOf = (name: string): string => {
        const filter = filters.find((candidate) => candidate.Name === name);
        assert.ok(filter?.RowFilter?.FilterExpression, `${name} has a row filter`);
        return filter.RowFilter.FilterExpression;
      };
      // The sample's expressions are plain `column = 'x'` / `IN (...)` comparisons, valid SQL as they stand.
      for (const filter of filters) {
        const expression = filter.RowFilter?.FilterExpression;
        if (expression === undefined) continue;
        const id = `${filter.DatabaseName}.${filter.TableName}`;
        assert.ok((await count(id, expression)) > 0, `${filter.Name} (${expression}) matches rows`);
        assert.ok((await count(id, `NOT (${expression})`)) > 0, `${filter.Name} (${expression}) leaves rows out`);
      }
      const eu = expressionOf('eu_customers_contact');
      const enterprise = expressionOf('high_value_segment');
      assert.ok((await count('sales.customers', `(${eu}) AND NOT coalesce(${enterprise}, false)`)) > 0, 'EU rows outside the enterprise segment (segment masked)');
      assert.ok((await count('sales.customers', `(${enterprise}) AND NOT (${eu})`)) > 0, 'enterprise rows outside the EU (email masked)');
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });
});

describe('sample Lake Formation exports: LF-Tags', () => {
  test('every tag value used on a resource or in a grant is defined by list-lf-tags', () => {
    const defined = new Map(tagDefinitions.map((tag) => [tag.TagKey, tag.TagValues]));
    assert.deepEqual(tagDefinitions.map((tag) => tag.CatalogId), tagDefinitions.map(() => ACCOUNT));
    const check = (pairs: readonly LFTagPair[], where: string): void => {
      for (const pair of pairs) {
        assert.ok(defined.has(pair.TagKey), `${where}: tag ${pair.TagKey} is defined`);
        for (const value of pair.TagValues) assert.ok(defined.get(pair.TagKey)!.includes(value), `${where}: ${pair.TagKey}=${value} is defined`);
      }
    };
    for (const [id, tags] of tableTags) {
      check(tags.LFTagOnDatabase, `${id} database`);
      check(tags.LFTagsOnTable, `${id} table`);
      for (const column of tags.LFTagsOnColumns) check(column.LFTags, `${id}.${column.Name}`);
    }
    for (const { Resource: resource } of permissions) {
      if (resource.LFTagPolicy) check(resource.LFTagPolicy.Expression, 'LFTagPolicy');
      if (resource.LFTag) check([resource.LFTag], 'LFTag');
    }
  });

  test('every table has its tags file, listing each of its columns with catalog-qualified pairs', () => {
    assert.deepEqual([...tableTags.keys()].sort(), [...tables.keys()].sort());
    for (const [id, tags] of tableTags) {
      assert.deepEqual(tags.LFTagsOnColumns.map((column) => column.Name), columnNames(id), id);
      const pairs = [...tags.LFTagOnDatabase, ...tags.LFTagsOnTable, ...tags.LFTagsOnColumns.flatMap((column) => column.LFTags)];
      assert.ok(pairs.every((pair) => pair.CatalogId === ACCOUNT && pair.TagValues.length === 1), id);
      assert.ok(tags.LFTagOnDatabase.length > 0, `${id} inherits database tags`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A reference reading of LAKE_FORMATION.md, enough to state what each sample role can read.

interface Access {
  /** Columns the caller gets, in table order. */
  readonly columns: string[];
  /** Row filter: null for all rows, else the OR of the grants' expressions. */
  readonly rows: string | null;
  /** Columns that read as null in some visible rows. */
  readonly masked: string[];
}

type Pair = { readonly rows: string | null; readonly columns: ReadonlySet<string> };

function effectiveTags(id: string, column: string): Map<string, readonly string[]> {
  const tags = tableTags.get(id);
  assert.ok(tags, `${id} has tags`);
  const merged = new Map<string, readonly string[]>();
  const levels = [tags.LFTagOnDatabase, tags.LFTagsOnTable, tags.LFTagsOnColumns.find((entry) => entry.Name === column)?.LFTags ?? []];
  for (const level of levels) for (const pair of level) merged.set(pair.TagKey, pair.TagValues);
  return merged;
}

function matchesExpression(tags: Map<string, readonly string[]>, expression: readonly LFTagPair[]): boolean {
  return expression.every((pair) => (tags.get(pair.TagKey) ?? []).some((value) => pair.TagValues.includes(value)));
}

function grantPair(resource: Resource, id: string): Pair | null {
  const table = glueTable(id);
  const all = table.columns.map((column) => column.name);
  if (resource.Table) {
    const { DatabaseName, Name, TableWildcard } = resource.Table;
    return DatabaseName === table.database && (TableWildcard !== undefined || Name === table.name) ? { rows: null, columns: new Set(all) } : null;
  }
  const selected = (spec: { ColumnNames?: readonly string[]; ColumnWildcard?: { ExcludedColumnNames?: readonly string[] } }): Set<string> =>
    new Set(spec.ColumnWildcard ? all.filter((name) => !(spec.ColumnWildcard?.ExcludedColumnNames ?? []).includes(name)) : spec.ColumnNames ?? []);
  if (resource.TableWithColumns) {
    const grant = resource.TableWithColumns;
    return grant.DatabaseName === table.database && grant.Name === table.name ? { rows: null, columns: selected(grant) } : null;
  }
  if (resource.DataCellsFilter) {
    const { DatabaseName, TableName, Name } = resource.DataCellsFilter;
    if (DatabaseName !== table.database || TableName !== table.name) return null;
    const filter = filters.find((candidate) => candidate.DatabaseName === DatabaseName && candidate.TableName === TableName && candidate.Name === Name);
    assert.ok(filter, `filter ${Name} exists`);
    return { rows: filter.RowFilter?.FilterExpression ?? null, columns: selected(filter) };
  }
  if (resource.LFTagPolicy?.ResourceType === 'TABLE') {
    const expression = resource.LFTagPolicy.Expression;
    const columns = all.filter((name) => matchesExpression(effectiveTags(id, name), expression));
    return columns.length > 0 ? { rows: null, columns: new Set(columns) } : null;
  }
  return null;
}

function readable(principal: string): Record<string, Access> {
  const grants = permissions.filter((grant) => grant.Principal.DataLakePrincipalIdentifier === principal && grant.Permissions.some((permission) => permission === 'SELECT' || permission === 'ALL'));
  const result: Record<string, Access> = {};
  for (const id of tables.keys()) {
    const pairs = grants.flatMap((grant) => grantPair(grant.Resource, id) ?? []);
    if (pairs.length === 0) continue;
    const order = columnNames(id);
    const columns = order.filter((name) => pairs.some((pair) => pair.columns.has(name)));
    const rowsOf = (subset: readonly Pair[]): string | null => (subset.some((pair) => pair.rows === null) ? null : [...new Set(subset.map((pair) => pair.rows!))].join(' OR '));
    const rows = rowsOf(pairs);
    const masked = columns.filter((name) => rowsOf(pairs.filter((pair) => pair.columns.has(name))) !== rows);
    result[id] = { columns, rows, masked };
  }
  return result;
}

function describedOnly(principal: string): string[] {
  const reads = readable(principal);
  return permissions
    .filter((grant) => grant.Principal.DataLakePrincipalIdentifier === principal && grant.Permissions.includes('DESCRIBE') && grant.Resource.Table?.Name)
    .map((grant) => `${grant.Resource.Table!.DatabaseName}.${grant.Resource.Table!.Name}`)
    .filter((id) => !reads[id]);
}

describe('sample Lake Formation exports: what each role reads', () => {
  const customers = ['customer_id', 'name', 'email', 'country', 'segment', 'created_at'];
  const transactions = ['transaction_id', 'customer_id', 'amount', 'currency', 'status', 'channel', 'ts', 'dt'];
  const events = ['event_id', 'user_id', 'session_id', 'event_type', 'page', 'ts', 'device', 'items', 'dt'];
  const without = (columns: string[], ...dropped: string[]): string[] => columns.filter((name) => !dropped.includes(name));
  const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;

  test('analyst: column wildcard with an exclusion, a named table, a table wildcard', () => {
    assert.deepEqual(readable(role('Analyst')), {
      'sales.customers': { columns: without(customers, 'email'), rows: null, masked: [] },
      'sales.transactions': { columns: transactions, rows: null, masked: [] },
      'web.events': { columns: events, rows: null, masked: [] },
    });
  });

  test('japan_sales: row filters, one with excluded columns', () => {
    assert.deepEqual(readable(role('JapanSales')), {
      'sales.customers': { columns: without(customers, 'email'), rows: "country = 'JP'", masked: [] },
      'sales.transactions': { columns: transactions, rows: "currency = 'JPY'", masked: [] },
    });
  });

  test('hr: salary is a masked cell outside engineering', () => {
    assert.deepEqual(readable(role('HR')), {
      'hr.employees': { columns: ['name', 'org', 'salary', 'projects'], rows: null, masked: ['salary'] },
    });
  });

  test('marketing: LF-Tag policy keeps sales and web, drops pii columns and the confidential databases', () => {
    assert.deepEqual(readable(role('Marketing')), {
      'sales.customers': { columns: without(customers, 'name', 'email'), rows: null, masked: [] },
      'sales.transactions': { columns: transactions, rows: null, masked: [] },
      'web.events': { columns: events, rows: null, masked: [] },
    });
    const kinds = permissions.filter((grant) => grant.Principal.DataLakePrincipalIdentifier === role('Marketing')).map((grant) => grant.Resource.LFTagPolicy?.ResourceType);
    assert.deepEqual(kinds, ['TABLE', 'DATABASE']);
  });

  test('auditor: DESCRIBE-only hr.employees, a row filter on cloudtrail', () => {
    assert.deepEqual(readable(role('Auditor')), {
      'security.cloudtrail': { columns: ['eventtime', 'eventname', 'eventsource', 'useridentity', 'sourceipaddress', 'awsregion', 'dt'], rows: "eventname = 'ConsoleLogin'", masked: [] },
    });
    assert.deepEqual(describedOnly(role('Auditor')), ['hr.employees']);
  });

  test('eu_analyst (group): two overlapping filters, rows are the union, cells of one filter masked in the other', () => {
    assert.deepEqual(readable('arn:aws:identitystore:::group/9067a1d4-example-analysts-eu'), {
      'sales.customers': { columns: customers, rows: "country IN ('DE', 'FR', 'GB') OR segment = 'enterprise'", masked: ['email', 'segment', 'created_at'] },
    });
  });

  test('IAM_ALLOWED_PRINCIPALS reads nothing', () => {
    assert.deepEqual(readable('IAM_ALLOWED_PRINCIPALS'), {});
  });
});

function readerSql(table: GlueTable): string {
  assert.ok(table.location.startsWith(PREFIX));
  const folder = path.join(lake, table.location.slice(PREFIX.length));
  const partitioned = table.columns.some((column) => column.partitionKey);
  const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;
  return table.format === 'parquet'
    ? `read_parquet(${quote(path.join(folder, '**', '*.parquet'))}, hive_partitioning = ${partitioned})`
    : `read_json(${quote(path.join(folder, '**', '*.json'))}, format = 'newline_delimited', hive_partitioning = ${partitioned})`;
}
