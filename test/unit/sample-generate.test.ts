import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { parseGlueTables } from '../../src/catalog/glue';
import type { GlueTable } from '../../src/catalog/types';
import { configSchema } from '../../src/config/schema';
import { duckdbType } from '../../src/datasources/local/duckdb-types';
import { generateSampleLake, refreshSampleCatalog, sampleSizes } from '../../src/sample/generate';

/**
 * Generates small sample lakes and reads them back the way the local engine does: Glue types
 * drive the `read_json` column map, Parquet is read as written, `dt` comes from the folders.
 */

const ROWS = 2000;
const SEED = 42;
const DATABASES = ['sales', 'web', 'hr', 'security'];
const TABLES = ['sales.customers', 'sales.transactions', 'web.events', 'hr.employees', 'security.cloudtrail'];
const PREFIX = 's3://lakegate-sample/';

let workDir = '';
let lake = '';
let twin = '';
let reseeded = '';
let db: DuckDBInstance;
let connection: DuckDBConnection;
const catalogs = new Map<string, Map<string, GlueTable>>();

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

async function scalar(sql: string): Promise<unknown> {
  const [row] = await rows(sql);
  return row ? Object.values(row)[0] : undefined;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function loadCatalog(root: string): Map<string, GlueTable> {
  const tables = new Map<string, GlueTable>();
  for (const database of DATABASES) {
    const file = path.join(root, 'glue', `${database}.json`);
    const parsed = parseGlueTables(JSON.parse(fs.readFileSync(file, 'utf8')), file);
    assert.deepEqual(parsed.issues, [], `${database}.json imports without issues`);
    for (const table of parsed.value) tables.set(`${table.database}.${table.name}`, table);
  }
  return tables;
}

function glueTable(root: string, name: string): GlueTable {
  const table = catalogs.get(root)?.get(name);
  assert.ok(table, `${name} is in the Glue catalog of ${root}`);
  return table;
}

/** The reader the local engine uses for a Glue table: types from Glue, `dt` from the folders. */
function readerSql(root: string, name: string): string {
  const table = glueTable(root, name);
  assert.ok(table.location.startsWith(PREFIX));
  const folder = path.join(root, table.location.slice(PREFIX.length));
  const partitionKeys = table.columns.filter((column) => column.partitionKey);
  const hive = partitionKeys.length > 0
    ? `hive_partitioning = true, hive_types = {${partitionKeys.map((column) => `${quote(column.name)}: ${quote(duckdbType(column.type))}`).join(', ')}}`
    : 'hive_partitioning = false';
  if (table.format === 'parquet') return `read_parquet(${quote(path.join(folder, '**', '*.parquet'))}, ${hive})`;
  const columns = table.columns.filter((column) => !column.partitionKey).map((column) => `${quote(column.name)}: ${quote(duckdbType(column.type))}`);
  return `read_json(${quote(path.join(folder, '**', '*.json'))}, format = 'newline_delimited', ${hive}, columns = {${columns.join(', ')}})`;
}

/** Order-independent fingerprint of a table's rows. */
async function digest(root: string, name: string): Promise<string> {
  return String(await scalar(`SELECT count(*)::VARCHAR || ':' || md5(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR)) FROM (SELECT * FROM ${readerSql(root, name)}) t`));
}

function dayLabels(): string[] {
  return Array.from({ length: 91 }, (_, day) => new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10));
}

before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakegate-'));
  lake = path.join(workDir, 'lake');
  twin = path.join(workDir, 'twin');
  reseeded = path.join(workDir, 'reseeded');
  await generateSampleLake({ outDir: lake, rows: ROWS });
  await generateSampleLake({ outDir: twin, rows: ROWS, seed: SEED });
  await generateSampleLake({ outDir: reseeded, rows: ROWS, seed: 7 });
  for (const root of [lake, twin, reseeded]) catalogs.set(root, loadCatalog(root));
  db = await DuckDBInstance.create(':memory:');
  connection = await db.connect();
});

after(() => {
  connection?.closeSync();
  db?.closeSync();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('sample lake layout', () => {
  test('has the row counts the size asks for', async () => {
    const sizes = sampleSizes(ROWS);
    const expected: Record<string, number> = {
      'sales.customers': sizes.customers,
      'sales.transactions': sizes.transactions,
      'web.events': sizes.events,
      'hr.employees': 40,
      'security.cloudtrail': sizes.cloudtrail,
    };
    assert.deepEqual(sizes, { customers: 100, transactions: 2000, events: 2000, employees: 40, cloudtrail: 200 });
    for (const [name, count] of Object.entries(expected)) {
      assert.equal(await scalar(`SELECT count(*)::INTEGER FROM ${readerSql(lake, name)}`), count, name);
    }
  });

  test('partitions by dt=YYYY-MM-DD over the 91 days of 2024-01-01..2024-03-31', () => {
    const expected = dayLabels().map((label) => `dt=${label}`);
    assert.equal(expected[90], 'dt=2024-03-31');
    for (const [folder, extension] of [['sales/transactions', '.parquet'], ['web/events', '.json'], ['security/cloudtrail', '.json']] as const) {
      const entries = fs.readdirSync(path.join(lake, folder)).sort();
      assert.deepEqual(entries, expected, folder);
      for (const entry of entries) {
        const files = fs.readdirSync(path.join(lake, folder, entry));
        assert.ok(files.length > 0 && files.every((file) => file.endsWith(extension)), `${folder}/${entry} holds only ${extension} files`);
      }
    }
    assert.deepEqual(fs.readdirSync(path.join(lake, 'sales/customers')), ['customers.parquet']);
    assert.deepEqual(fs.readdirSync(path.join(lake, 'hr/employees')), ['employees.json']);
  });

  test('leaves no staging folders or engine spill files behind', () => {
    assert.deepEqual(fs.readdirSync(workDir).sort(), ['lake', 'reseeded', 'twin']);
    assert.ok(!fs.existsSync(path.join(lake, '.duckdb-tmp')));
  });

  test('keeps dt out of the data files', async () => {
    const columns = await rows(`DESCRIBE SELECT * FROM read_parquet(${quote(path.join(lake, 'sales/transactions/dt=2024-01-01/*.parquet'))}, hive_partitioning = false)`);
    assert.ok(!columns.some((column) => column['column_name'] === 'dt'));
    const line = fs.readFileSync(path.join(lake, 'web/events/dt=2024-01-01', fs.readdirSync(path.join(lake, 'web/events/dt=2024-01-01'))[0] as string), 'utf8').split('\n')[0] as string;
    assert.ok(!('dt' in JSON.parse(line)));
  });
});

describe('sample lake catalog', () => {
  test('Glue files import and describe every table', () => {
    assert.deepEqual([...(catalogs.get(lake)?.keys() ?? [])].sort(), [...TABLES].sort());
    const sales = JSON.parse(fs.readFileSync(path.join(lake, 'glue/sales.json'), 'utf8'));
    const transactions = sales.TableList.find((table: { Name: string }) => table.Name === 'transactions');
    assert.equal(transactions.TableType, 'EXTERNAL_TABLE');
    assert.equal(transactions.StorageDescriptor.InputFormat, 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    assert.equal(transactions.StorageDescriptor.SerdeInfo.SerializationLibrary, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    assert.deepEqual(transactions.PartitionKeys.map((key: { Name: string; Type: string }) => [key.Name, key.Type]), [['dt', 'string']]);
    assert.ok(!transactions.StorageDescriptor.Columns.some((column: { Name: string }) => column.Name === 'dt'));
    for (const table of catalogs.get(lake)?.values() ?? []) {
      assert.ok(table.description, `${table.name} has a description`);
      for (const column of table.columns) assert.ok(column.comment, `${table.name}.${column.name} has a comment`);
    }
  });

  test('Glue columns match the files: names, order and types', async () => {
    for (const name of TABLES) {
      const table = glueTable(lake, name);
      const described = await rows(`DESCRIBE SELECT * FROM ${readerSql(lake, name)}`);
      assert.deepEqual(
        // Quoting of struct field names differs between DESCRIBE and duckdbType; compare without it.
        described.map((column) => [column['column_name'], String(column['column_type']).replace(/"/g, '')]),
        table.columns.map((column) => [column.name, duckdbType(column.type).replace(/"/g, '')]),
        name,
      );
    }
  });

  test('JSON files hold the Glue columns in order, without relying on the column map', async () => {
    for (const name of ['web.events', 'hr.employees', 'security.cloudtrail']) {
      const table = glueTable(lake, name);
      const folder = path.join(lake, table.location.slice(PREFIX.length));
      const described = await rows(`DESCRIBE SELECT * FROM read_json(${quote(path.join(folder, '**', '*.json'))}, format = 'newline_delimited', hive_partitioning = false)`);
      assert.deepEqual(described.map((column) => column['column_name']), table.columns.filter((column) => !column.partitionKey).map((column) => column.name), name);
    }
  });

  test('lakegate.yaml validates and points at real tables and columns', () => {
    const document = parseYaml(fs.readFileSync(path.join(lake, 'lakegate.yaml'), 'utf8'));
    const parsed = configSchema.safeParse(document);
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues));
    const config = parsed.data;
    assert.deepEqual(config.catalog.glue.files, DATABASES.map((database) => `glue/${database}.json`));
    for (const file of config.catalog.glue.files) assert.ok(fs.existsSync(path.join(lake, file)), file);
    assert.equal(config.engines.local!.lakePath, '.');
    assert.equal(config.engines.local!.s3Prefix, PREFIX);
    assert.deepEqual(config.datasets.map((dataset) => dataset.name), ['customers', 'transactions', 'events', 'employees', 'cloudtrailEvents']);
    const byName = new Map(config.datasets.map((dataset) => [dataset.name, dataset]));
    const columnsOf = (table: string): string[] => glueTable(lake, table).columns.map((column) => column.name);
    for (const dataset of config.datasets) {
      assert.ok(dataset.description, `${dataset.name} has a description`);
      for (const key of dataset.primaryKey) assert.ok(columnsOf(dataset.table).includes(key), `${dataset.name} key ${key}`);
      for (const [field, relation] of Object.entries(dataset.relations)) {
        const target = byName.get(relation.dataset);
        assert.ok(target, `${dataset.name}.${field} targets a dataset`);
        assert.ok(relation.description, `${dataset.name}.${field} has a description`);
        for (const [from, to] of Object.entries(relation.on)) {
          assert.ok(columnsOf(dataset.table).includes(from), `${dataset.name}.${field} from ${from}`);
          assert.ok(columnsOf(target.table).includes(to), `${dataset.name}.${field} to ${to}`);
        }
      }
    }
    assert.deepEqual(Object.keys(config.auth.devRoles).sort(), ['analyst', 'auditor', 'engineer', 'eu_analyst', 'guest', 'hr', 'japan_sales', 'marketing']);
  });
});

describe('sample lake content', () => {
  test('every transaction and signed-in event points at a customer; some customers never buy', async () => {
    const transactions = readerSql(lake, 'sales.transactions');
    const customers = readerSql(lake, 'sales.customers');
    const events = readerSql(lake, 'web.events');
    assert.equal(await scalar(`SELECT count(*)::INTEGER FROM ${transactions} t ANTI JOIN ${customers} c USING (customer_id)`), 0);
    assert.equal(await scalar(`SELECT count(*)::INTEGER FROM ${events} e WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT customer_id FROM ${customers})`), 0);
    assert.ok(Number(await scalar(`SELECT count(*)::INTEGER FROM ${customers} c ANTI JOIN ${transactions} t USING (customer_id)`)) > 0);
    assert.ok(Number(await scalar(`SELECT count(*)::INTEGER FROM ${events} WHERE user_id IS NULL`)) > 0);
    assert.equal(await scalar(`SELECT count(DISTINCT transaction_id)::INTEGER FROM ${transactions}`), ROWS);
    assert.equal(await scalar(`SELECT count(DISTINCT event_id)::INTEGER FROM ${events}`), ROWS);
  });

  test('customers look real: skewed countries, some null segments, ASCII e-mails, non-ASCII names', async () => {
    const customers = readerSql(lake, 'sales.customers');
    const countries = await rows(`SELECT country, count(*)::INTEGER AS n FROM ${customers} GROUP BY 1 ORDER BY n DESC`);
    assert.ok(countries.every((row) => ['JP', 'US', 'DE', 'FR', 'GB', 'BR', 'IN'].includes(String(row['country']))));
    assert.ok(Number(countries[0]?.['n']) > 2 * Number(countries[countries.length - 1]?.['n']), 'countries are skewed');
    assert.ok(Number(await scalar(`SELECT count(*)::INTEGER FROM ${customers} WHERE segment IS NULL`)) > 0);
    assert.equal(await scalar(`SELECT count(*)::INTEGER FROM ${customers} WHERE NOT regexp_full_match(email, '[a-z]+\\.[a-z]+' || customer_id || '@example\\.com')`), 0);
    assert.ok(Number(await scalar(`SELECT count(*)::INTEGER FROM ${customers} WHERE regexp_matches(name, '[^\\x00-\\x7F]')`)) > 0);
  });

  test('transactions: currency follows the country, positive amounts, ts within dt', async () => {
    const transactions = readerSql(lake, 'sales.transactions');
    const customers = readerSql(lake, 'sales.customers');
    const pairs = await rows(`SELECT DISTINCT c.country, t.currency FROM ${transactions} t JOIN ${customers} c USING (customer_id) ORDER BY 1`);
    const currency: Record<string, string> = { BR: 'BRL', DE: 'EUR', FR: 'EUR', GB: 'GBP', IN: 'INR', JP: 'JPY', US: 'USD' };
    for (const pair of pairs) assert.equal(pair['currency'], currency[String(pair['country'])]);
    assert.equal(await scalar(`SELECT count(*)::INTEGER FROM ${transactions} WHERE amount <= 0 OR strftime(ts, '%Y-%m-%d') <> dt`), 0);
    const statuses = await rows(`SELECT status, count(*)::INTEGER AS n FROM ${transactions} GROUP BY 1 ORDER BY n DESC`);
    assert.equal(statuses[0]?.['status'], 'completed');
    assert.deepEqual(statuses.map((row) => row['status']).sort(), ['completed', 'failed', 'pending', 'refunded']);
  });

  test('nested JSON columns read back with their values', async () => {
    const events = readerSql(lake, 'web.events');
    const misplaced = await scalar(`SELECT count(*)::INTEGER FROM ${events}
      WHERE device.os IS NULL
         OR strftime(ts, '%Y-%m-%d') <> dt
         OR (event_type IN ('add_to_cart', 'purchase') AND NOT (len(items) BETWEEN 1 AND 3))
         OR (event_type IN ('page_view', 'search') AND len(items) <> 0)
         OR list_bool_or(list_transform(items, lambda item: item.sku IS NULL OR item.qty IS NULL OR item.qty < 1))`);
    assert.equal(misplaced, 0);
    assert.ok(Number(await scalar(`SELECT count(*)::INTEGER FROM ${events} WHERE device.browser IS NULL`)) > 0);
    const employees = readerSql(lake, 'hr.employees');
    assert.deepEqual((await rows(`SELECT DISTINCT org FROM ${employees} ORDER BY 1`)).map((row) => row['org']), ['engineering', 'finance', 'hr', 'marketing', 'sales']);
    assert.ok(Number(await scalar(`SELECT count(*)::INTEGER FROM ${employees}, unnest(projects) p(project) WHERE project.completed`)) > 0);
    const trail = readerSql(lake, 'security.cloudtrail');
    assert.equal(await scalar(`SELECT count(*)::INTEGER FROM ${trail} WHERE useridentity.type IS NULL OR strftime(eventtime, '%Y-%m-%d') <> dt`), 0);
    assert.equal(await scalar(`SELECT count(*)::INTEGER FROM ${trail} WHERE (useridentity.arn IS NULL) <> (useridentity.type = 'AWSService')`), 0);
  });
});

describe('sample lake determinism', () => {
  test('the same (rows, seed) gives the same rows and the same catalog', async () => {
    for (const name of TABLES) assert.equal(await digest(twin, name), await digest(lake, name), name);
    for (const file of ['lakegate.yaml', ...DATABASES.map((database) => `glue/${database}.json`)]) {
      assert.equal(fs.readFileSync(path.join(twin, file), 'utf8'), fs.readFileSync(path.join(lake, file), 'utf8'), file);
    }
  });

  test('a different seed gives different rows', async () => {
    for (const name of TABLES) assert.notEqual(await digest(reseeded, name), await digest(lake, name), name);
  });
});

describe('generateSampleLake', () => {
  test('replaces an existing lake whole', async () => {
    const target = path.join(workDir, 'replaced');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'stale.txt'), 'old lake');
    await generateSampleLake({ outDir: target, rows: 100 });
    assert.ok(!fs.existsSync(path.join(target, 'stale.txt')));
    assert.ok(fs.existsSync(path.join(target, 'lakegate.yaml')));
    assert.deepEqual(fs.readdirSync(workDir).filter((entry) => entry.startsWith('replaced')), ['replaced']);
    fs.rmSync(target, { recursive: true, force: true });
  });

  test('rejects a bad size without touching the output folder', async () => {
    const target = path.join(workDir, 'rejected');
    await assert.rejects(generateSampleLake({ outDir: target, rows: 0 }), RangeError);
    await assert.rejects(generateSampleLake({ outDir: target, rows: 10, seed: 1.5 }), RangeError);
    assert.ok(!fs.readdirSync(workDir).some((entry) => entry.startsWith('rejected')));
  });
});

test('an existing sample gets this version\'s generated catalog files, its data untouched', async () => {
  const config = path.join(lake, 'lakegate.yaml');
  const current = fs.readFileSync(config, 'utf8');
  const dataFile = fs.readdirSync(path.join(lake, 'sales', 'transactions'), { recursive: true }).map(String).find((name) => name.endsWith('.parquet'))!;
  const before = fs.statSync(path.join(lake, 'sales', 'transactions', dataFile)).mtimeMs;
  fs.writeFileSync(config, current.replace(/\nkpis:[\s\S]*$/, '\n'));
  assert.equal(await refreshSampleCatalog(lake), true);
  assert.equal(fs.readFileSync(config, 'utf8'), current);
  assert.equal(await refreshSampleCatalog(lake), false, 'nothing to do the second time');
  assert.equal(fs.statSync(path.join(lake, 'sales', 'transactions', dataFile)).mtimeMs, before);
});
