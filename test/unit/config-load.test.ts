import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { formatIssue, loadConfig } from '../../src/config/load';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const glue = {
  TableList: [
    {
      Name: 'orders',
      DatabaseName: 'shop',
      Parameters: { classification: 'parquet' },
      StorageDescriptor: {
        Columns: [
          { Name: 'order_id', Type: 'bigint', Comment: 'Order key' },
          { Name: 'total', Type: 'decimal(12,2)' },
          { Name: 'meta', Type: 'struct<source:string>' },
        ],
        Location: 's3://bucket/shop/orders/',
      },
      PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    },
  ],
};
writeFileSync(path.join(dir, 'shop.json'), JSON.stringify(glue));

function write(name: string, yaml: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

const header = `catalog:
  glue:
    files: [shop.json]
engines:
  local: { type: duckdb, lakePath: ., s3Prefix: "s3://bucket/" }
`;

test('a valid file yields the curated catalog', () => {
  const result = loadConfig(write('ok.yaml', `${header}datasets:
  - name: orders
    type: Order
    table: shop.orders
    primaryKey: [order_id]
    columns:
      total: { field: grandTotal, description: Total in the order currency }
`));
  assert.deepEqual(result.issues, []);
  const dataset = result.value!.catalog.datasets[0]!;
  assert.deepEqual(dataset.columns.map((col) => col.field), ['orderId', 'grandTotal', 'meta', 'dt']);
  assert.equal(dataset.columns[0]!.description, 'Order key');
  assert.equal(dataset.columns[3]!.partitionKey, true);
});

test('every mistake is reported with its path and line, and nothing is returned', () => {
  const result = loadConfig(write('bad.yaml', `${header}datasets:
  - name: orders
    type: Order
    table: shop.orders
    primaryKey: [order_key]
    relations:
      customer: { dataset: custmers, kind: one, on: { order_id: id } }
  - name: orders
    type: Order2
    table: shop.missing
`));
  assert.equal(result.value, null);
  const lines = result.issues.map(formatIssue);
  const expect = (pattern: RegExp): void => assert.ok(lines.some((line) => pattern.test(line)), `${pattern} in\n${lines.join('\n')}`);
  expect(/bad\.yaml:10: datasets\[0\]\.primaryKey\[0\]: no column "order_key" in shop\.orders/);
  expect(/bad\.yaml:12: datasets\[0\]\.relations\.customer\.dataset: no dataset "custmers"/);
  expect(/datasets\[1\]\.table: no table "shop\.missing"/);
  expect(/datasets\[1\]\.name: query field "orders" is already used by datasets\[0\]/);
});

test('reserved names, field collisions and unjoinable keys are refused', () => {
  const result = loadConfig(write('names.yaml', `${header}datasets:
  - { name: catalog, type: String, table: shop.orders }
  - { name: orders, type: Order, table: shop.orders, relations: { self: { dataset: ordersAggregateSource, kind: one, on: { order_id: meta } } } }
  - { name: ordersAggregateSource, type: Source, table: shop.orders }
  - { name: ordersAggregate, type: Agg, table: shop.orders, relations: { bad: { dataset: orders, kind: one, on: { total: order_id } } } }
  - { name: ordersPage, type: PageInfo, table: shop.orders }
`));
  const lines = result.issues.map(formatIssue).join('\n');
  assert.match(lines, /datasets\[0\]\.name: "catalog" is a built-in query field/);
  assert.match(lines, /datasets\[0\]\.type: "String" is a built-in type name/);
  assert.match(lines, /datasets\[3\]\.name: query field "ordersAggregate" is already used by datasets\[1\]/);
  assert.match(lines, /datasets\[4\]\.name: query field "ordersPage" is already used by datasets\[1\]/);
  assert.match(lines, /datasets\[4\]\.type: "PageInfo" is a built-in type name/);
  assert.match(lines, /datasets\[1\]\.relations\.self\.on: cannot join order_id \(bigint\) to ordersAggregateSource\.meta \(struct<source:string>\)/);
  assert.match(lines, /datasets\[3\]\.relations\.bad\.on: cannot join total \(decimal\(12,2\)\) to orders\.order_id \(bigint\)/);
});

test('schema violations name the key, including typos of known keys', () => {
  const result = loadConfig(write('typo.yaml', `${header}limits: { maxLimit: 10, defaultLimit: 50 }
datasets:
  - name: orders
    type: Order
    tabel: shop.orders
`));
  const lines = result.issues.map(formatIssue);
  assert.ok(lines.some((line) => /datasets\[0\]: Unrecognized key\(s\) in object: 'tabel'/.test(line)), lines.join('\n'));
  assert.ok(lines.some((line) => /datasets\[0\]\.table: Required/.test(line)), lines.join('\n'));
  assert.ok(lines.some((line) => /limits\.defaultLimit: defaultLimit must not exceed maxLimit/.test(line)), lines.join('\n'));
});

test('longQueries: defaults filled in, a bad Redis URL or a too-short wait reported with its path', () => {
  const dataset = 'datasets: [{ name: orders, type: Order, table: shop.orders }]\n';
  const ok = loadConfig(write('long-ok.yaml', `${header}longQueries: { redis: { url: "redis://cache:6379/0" } }\n${dataset}`));
  assert.deepEqual(ok.issues, []);
  assert.deepEqual(ok.value!.config.longQueries, {
    waitMs: 10_000, graceMs: 120_000, sweepIntervalMs: 5_000,
    redis: { url: 'redis://cache:6379/0', urlEnv: 'LAKEGATE_REDIS_URL', keyPrefix: 'lakegate:lq:' },
  });
  assert.equal(loadConfig(write('long-none.yaml', `${header}${dataset}`)).value!.config.longQueries, undefined, 'off unless configured');
  const bad = loadConfig(write('long-bad.yaml', `${header}longQueries: { waitMs: 5, redis: { url: "http://cache:6379" } }\n${dataset}`));
  const lines = bad.issues.map(formatIssue).join('\n');
  assert.match(lines, /long-bad\.yaml:\d+: longQueries\.waitMs: Number must be greater than or equal to 100/);
  assert.match(lines, /longQueries\.redis\.url: must be a redis:\/\/ or rediss:\/\/ URL/);
});

test('paging: defaults filled in, a bad cursor lifetime reported with its path', () => {
  const dataset = 'datasets: [{ name: orders, type: Order, table: shop.orders }]\n';
  const ok = loadConfig(write('paging-ok.yaml', `${header}${dataset}`));
  assert.deepEqual(ok.value!.config.paging, { cursorTtl: 3_600_000, cursorSecretEnv: 'LAKEGATE_CURSOR_SECRET' });
  const bad = loadConfig(write('paging-bad.yaml', `${header}paging: { cursorTtl: 10ms, cursorSecretEnv: "" }\n${dataset}`));
  const lines = bad.issues.map(formatIssue).join('\n');
  assert.match(lines, /paging-bad\.yaml:\d+: paging\.cursorTtl: "10ms" is shorter than the minimum of 1000 ms/);
  assert.match(lines, /paging\.cursorSecretEnv: /);
});

test('engines.redshift.schemas may only name Glue databases of the catalog', () => {
  const redshift = (schemas: string): string => header.replace('engines:\n', `engines:\n  redshift: { mode: pg, connectionString: "postgres://x@h:5439/d", schemas: ${schemas} }\n`);
  const ok = loadConfig(write('schemas-ok.yaml', `${redshift('{ shop: spectrum_shop }')}datasets: [{ name: orders, type: Order, table: shop.orders }]\n`));
  assert.deepEqual(ok.issues, []);
  assert.deepEqual(ok.value!.config.engines.redshift!.schemas, { shop: 'spectrum_shop' });
  const typo = loadConfig(write('schemas-typo.yaml', `${redshift('{ shopp: spectrum_shop }')}datasets: [{ name: orders, type: Order, table: shop.orders }]\n`));
  assert.match(typo.issues.map(formatIssue).join('\n'), /schemas-typo\.yaml:\d+: engines\.redshift\.schemas\.shopp: no Glue database "shopp" in the catalog \(databases: shop\)/);
});

test('bad Glue type strings and unreadable files are reported', () => {
  writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ TableList: [{ ...glue.TableList[0], StorageDescriptor: { ...glue.TableList[0]!.StorageDescriptor, Columns: [{ Name: 'x', Type: 'struct<a:int' }] } }] }));
  const result = loadConfig(write('glue.yaml', header.replace('[shop.json]', '[broken.json, nowhere.json]') + 'datasets: [{ name: orders, type: Order, table: shop.orders }]\n'));
  const lines = result.issues.map(formatIssue);
  assert.ok(lines.some((line) => /broken\.json: TableList\[0\]\.StorageDescriptor\.Columns\[0\]\.Type: expected/.test(line)), lines.join('\n'));
  assert.ok(lines.some((line) => /catalog\.glue\.files\[1\]: file not found/.test(line)), lines.join('\n'));
});

test('YAML syntax errors carry their line', () => {
  const result = loadConfig(write('syntax.yaml', 'catalog:\n  glue: [\n'));
  assert.equal(result.value, null);
  assert.ok(result.issues[0]!.line !== undefined);
});
