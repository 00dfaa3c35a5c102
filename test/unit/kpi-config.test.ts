import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { formatIssue, loadConfig } from '../../src/config/load';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-kpi-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(path.join(dir, 'shop.json'), JSON.stringify({
  TableList: [{
    Name: 'orders',
    DatabaseName: 'shop',
    Parameters: { classification: 'parquet' },
    StorageDescriptor: {
      Columns: [
        { Name: 'order_id', Type: 'bigint' },
        { Name: 'total', Type: 'decimal(12,2)' },
        { Name: 'status', Type: 'string' },
        { Name: 'placed_at', Type: 'timestamp' },
        { Name: 'placed_on', Type: 'date' },
        { Name: 'device', Type: 'struct<os:string,meta:struct<v:int>>' },
        { Name: 'tags', Type: 'array<string>' },
      ],
      Location: 's3://bucket/shop/orders/',
    },
    PartitionKeys: [],
  }],
}));

const header = `catalog:
  glue:
    files: [shop.json]
engines:
  local: { type: duckdb, lakePath: ., s3Prefix: "s3://bucket/" }
datasets:
  - { name: orders, type: Order, table: shop.orders }
`;

function load(name: string, kpis: string) {
  const file = path.join(dir, name);
  writeFileSync(file, `${header}kpis:\n${kpis}`);
  return loadConfig(file);
}

test('a valid KPI section is resolved: measures, filters coerced by the API input types, dimensions, grains and durations', () => {
  const result = load('ok.yaml', `  - name: revenue
    description: Completed revenue.
    unit: EUR
    dataset: orders
    measure: sum(total)
    where: { status: { eq: completed }, total: { gte: 1e2 } }
    time: placed_at
    grains: [HOUR, day]
    defaultRange: P12M
    dimensions: [status, device.os]
    freshness: 30s
    refresh: 15m
    thresholds: [{ above: 1000 }, { below: 10, dimensions: { deviceOs: ios } }]
  - name: orderCount
    dataset: orders
    measure: count
    time: placed_on
  - name: averageOrder
    dataset: orders
    ratio: [revenue, countAll]
    time: placed_at
  - name: countAll
    dataset: orders
    measure: count(*)
    time: placed_at
`);
  assert.deepEqual(result.issues.map(formatIssue), []);
  const [revenue, orderCount, averageOrder] = result.value!.catalog.kpis;
  assert.equal(revenue!.measure.kind, 'aggregate');
  assert.deepEqual(revenue!.measure.kind === 'aggregate' && revenue!.measure.aggregate.where, { status: { eq: 'completed' }, total: { gte: '100' } });
  assert.deepEqual(revenue!.dimensions.map((d) => [d.field, d.enumValue, d.path.join('.')]), [['status', 'STATUS', 'status'], ['deviceOs', 'DEVICE_OS', 'device.os']]);
  assert.deepEqual(revenue!.grains, ['hour', 'day']);
  assert.deepEqual(revenue!.defaultRange, { months: 12, days: 0, milliseconds: 0 });
  assert.equal(revenue!.freshnessMs, 30_000);
  assert.equal(revenue!.refreshMs, 900_000);
  assert.deepEqual(revenue!.reads, ['device', 'placed_at', 'status', 'total']);
  assert.deepEqual(orderCount!.grains, ['day', 'week', 'month', 'quarter', 'year'], 'a date axis has no HOUR by default');
  assert.equal(orderCount!.freshnessMs, 300_000, 'freshness defaults to 5m');
  assert.deepEqual(averageOrder!.measure.kind === 'ratio' && [averageOrder!.measure.numerator, averageOrder!.measure.denominator], ['revenue', 'countAll']);
});

test('every KPI mistake is reported with its path and line', () => {
  const result = load('bad.yaml', `  - { name: a, dataset: ordrs, measure: count, time: placed_at }
  - { name: b, dataset: orders, measure: sum(status), time: placed_at }
  - { name: c, dataset: orders, measure: avg(nope), time: placed_at }
  - { name: d, dataset: orders, measure: countDistinct(device), time: placed_at }
  - { name: e, dataset: orders, measure: count, time: status }
  - { name: f, dataset: orders, measure: count, time: placed_on, grains: [HOUR] }
  - { name: g, dataset: orders, measure: count, time: placed_at, grains: [YEAR] }
  - { name: h, dataset: orders, measure: count, time: placed_at, dimensions: [device] }
  - { name: i, dataset: orders, measure: count, time: placed_at, dimensions: [tags] }
  - { name: j, dataset: orders, ratio: [a, missing], time: placed_at }
  - { name: k, dataset: orders, measure: count, time: placed_at, dimensions: [placedAt, placed_at] }
  - { name: l, dataset: orders, measure: count, time: placed_at, defaultRange: 30 days }
  - { name: orders, dataset: orders, measure: count, time: placed_at }
  - { name: m, dataset: orders, measure: count, time: placed_at }
  - { name: m, dataset: orders, measure: median(total), time: placed_at }
  - { name: n, dataset: orders, measure: count, time: placed_at, where: { status: { equals: x } } }
  - { name: o, dataset: orders, measure: count, time: placed_at, where: { total: { gt: lots } } }
  - { name: p, dataset: orders, measure: count, time: placed_at, thresholds: [{ above: 1, dimensions: { region: eu } }, { above: 1, below: 5 }] }
`);
  assert.equal(result.value, null);
  const lines = result.issues.map(formatIssue).join('\n');
  const expect = (pattern: RegExp): void => assert.match(lines, pattern);
  expect(/bad\.yaml:\d+: kpis\[0\]\.dataset: no dataset "ordrs"/);
  expect(/kpis\[1\]\.measure: sum\(status\): "status" is string, not numeric/);
  expect(/kpis\[2\]\.measure: no column "nope" in dataset "orders"/);
  expect(/kpis\[3\]\.measure: countDistinct needs a scalar column/);
  expect(/kpis\[4\]\.time: "status" is not a timestamp or date column/);
  expect(/kpis\[5\]\.grains\[0\]: HOUR is not a grain of the date column "placed_on"/);
  expect(/kpis\[7\]\.dimensions\[0\]: a dimension must be a scalar column or struct field/);
  expect(/kpis\[8\]\.dimensions\[0\]: a dimension must be a scalar column or struct field/);
  expect(/kpis\[9\]\.ratio\[1\]: no KPI "missing"/);
  expect(/kpis\[10\]\.dimensions\[1\]: dimension "placed_at" would be the point field "placedAt", which is already a dimension/);
  expect(/kpis\[11\]\.defaultRange: "30 days" is not an ISO-8601 duration/);
  expect(/kpis\[12\]\.name: "orders" is a dataset query field/);
  expect(/kpis\[14\]\.name: KPI "m" is already defined by kpis\[13\]/);
  expect(/kpis\[14\]\.measure: "median\(total\)" is not a measure/);
  expect(/kpis\[15\]\.where\.status: Field "equals" is not defined by type "StringFilter"/);
  expect(/kpis\[16\]\.where\.total\.gt: Decimal cannot represent "lots"/);
  expect(/kpis\[17\]\.thresholds\[0\]\.dimensions\.region: "region" is not a dimension of KPI "p"/);
  expect(/kpis\[17\]\.thresholds\[1\]: below \(5\) is above "above" \(1\)/);
  assert.doesNotMatch(lines, /kpis\[6\]/, 'YEAR is a grain');
});

test('the shape of a KPI entry is checked first: grains, durations, thresholds, one of measure or ratio, unknown keys', () => {
  const result = load('shape.yaml', `  - { name: g, dataset: orders, measure: count, time: placed_at, grains: [FORTNIGHT] }
  - { name: k, dataset: orders, measure: count, time: placed_at, freshness: 5 minutes }
  - { name: p, dataset: orders, measure: count, time: placed_at, thresholds: [{}] }
  - { name: q, dataset: orders, measure: count, ratio: [m, m], time: placed_at }
  - { name: r, dataset: orders, measure: count, time: placed_at, grain: DAY }
  - { name: s, dataset: orders, measure: count }
`);
  assert.equal(result.value, null);
  const lines = result.issues.map(formatIssue).join('\n');
  assert.match(lines, /shape\.yaml:\d+: kpis\[0\]\.grains\[0\]: "FORTNIGHT" is not a grain \(HOUR, DAY, WEEK, MONTH, QUARTER, YEAR\)/);
  assert.match(lines, /kpis\[1\]\.freshness: "5 minutes" is not a duration/);
  assert.match(lines, /kpis\[2\]\.thresholds\[0\]: set above, below, or both/);
  assert.match(lines, /kpis\[3\]\.measure: set exactly one of measure or ratio/);
  assert.match(lines, /kpis\[4\]: Unrecognized key\(s\) in object: 'grain'/);
  assert.match(lines, /kpis\[5\]\.time: Required/);
});

test('a ratio divides measures over the same dataset and time column', () => {
  const result = load('ratio.yaml', `  - { name: byPlaced, dataset: orders, measure: count, time: placed_at }
  - { name: byDay, dataset: orders, measure: count, time: placed_on }
  - { name: mixed, dataset: orders, ratio: [byPlaced, byDay], time: placed_at }
  - { name: nested, dataset: orders, measure: "ratio(mixed, byPlaced)", time: placed_at }
`);
  const lines = result.issues.map(formatIssue).join('\n');
  assert.match(lines, /kpis\[2\]\.ratio\[1\]: KPI "byDay" measures orders by placed_on; a ratio divides measures over the same dataset and time column/);
  assert.match(lines, /kpis\[3\]\.ratio\[0\]: no KPI "mixed" with a measure of its own/);
});
