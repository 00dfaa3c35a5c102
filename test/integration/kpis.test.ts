import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';
import { createTestLake, type LakeTable, type TestLake } from '../support/lake';

/**
 * The sample KPIs through the API, against the same numbers computed by plain DuckDB SQL over the
 * lake files (written here from the KPI definitions, independently of the planner): every KPI ×
 * grain × compareTo, default ranges, roles' own values, and KPIs that do not exist for a caller.
 */
let lake: TestLake;
let app: TestApp;

/** An extra KPI reading a column the analyst may not read (customers.email). */
const EMAIL_KPI = `
  - name: contactableCustomers
    description: Customers with an e-mail address.
    dataset: customers
    measure: countDistinct(email)
    time: created_at
`;

before(async () => {
  lake = await createTestLake(3000, 9);
  appendFileSync(lake.configFile, EMAIL_KPI);
  app = await startTestApp({ lake });
});
after(async () => {
  await app.close();
  lake.remove();
});

type ValueKind = 'decimal' | 'integer' | 'float';

interface OracleKpi {
  readonly table: LakeTable;
  readonly time: string;
  /** SQL of the value over one group. */
  readonly value: string;
  readonly filter: string;
  /** Point field → SQL expression. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly enumValues: Readonly<Record<string, string>>;
  readonly kind: ValueKind;
}

const ORACLE: Readonly<Record<string, OracleKpi>> = {
  revenue: {
    table: 'transactions', time: 'ts', value: 'CAST(sum(amount) AS VARCHAR)', filter: "status = 'completed'",
    dimensions: { channel: 'channel', currency: 'currency' }, enumValues: { channel: 'CHANNEL', currency: 'CURRENCY' }, kind: 'decimal',
  },
  orders: {
    table: 'transactions', time: 'ts', value: 'CAST(count(*) AS VARCHAR)', filter: 'TRUE',
    dimensions: { channel: 'channel', status: 'status' }, enumValues: { channel: 'CHANNEL', status: 'STATUS' }, kind: 'integer',
  },
  activeCustomers: {
    table: 'transactions', time: 'ts', value: 'CAST(count(DISTINCT customer_id) AS VARCHAR)', filter: 'TRUE',
    dimensions: { channel: 'channel' }, enumValues: { channel: 'CHANNEL' }, kind: 'integer',
  },
  averageOrderValue: {
    table: 'transactions', time: 'ts', value: "CAST(sum(amount) FILTER (WHERE status = 'completed') AS DOUBLE) / count(*)", filter: 'TRUE',
    dimensions: { channel: 'channel', currency: 'currency' }, enumValues: { channel: 'CHANNEL', currency: 'CURRENCY' }, kind: 'float',
  },
  pageViews: {
    table: 'events', time: 'CAST(ts AS TIMESTAMP)', value: 'CAST(count(*) AS VARCHAR)', filter: "event_type = 'page_view'",
    dimensions: { deviceOs: 'device.os', page: 'page' }, enumValues: { deviceOs: 'DEVICE_OS', page: 'PAGE' }, kind: 'integer',
  },
  consoleLogins: {
    table: 'cloudtrail', time: 'CAST(eventtime AS TIMESTAMP)', value: 'CAST(count(*) AS VARCHAR)', filter: "eventname = 'ConsoleLogin'",
    dimensions: { awsregion: 'awsregion' }, enumValues: { awsregion: 'AWSREGION' }, kind: 'integer',
  },
};

type Comparison = 'PREVIOUS_PERIOD' | 'PREVIOUS_YEAR';

interface Request {
  readonly from: string;
  readonly to: string;
  readonly grain: string | null;
  readonly groupBy: readonly string[];
  readonly compareTo: Comparison | null;
  readonly extraFilter?: string;
}

type Point = Record<string, unknown>;

/** `2024-03-01 00:00:00` and `2024-03-01T00:00:00Z` as one key. */
function instantKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return new Date(`${String(value).replace(' ', 'T').replace(/Z?$/, 'Z')}`).toISOString();
}

/** The shift of a previous period, written from API.md: whole months when both ends start a month, else the range's length. */
function shiftOf(request: Request): string {
  if (request.compareTo === 'PREVIOUS_YEAR') return '12 months';
  const from = new Date(request.from);
  const to = new Date(request.to);
  const monthStart = (d: Date) => d.getUTCDate() === 1 && d.getTime() % 86_400_000 === 0;
  if (monthStart(from) && monthStart(to)) return `${(to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth()} months`;
  return `${to.getTime() - from.getTime()} milliseconds`;
}

async function oracleRows(kpi: OracleKpi, request: Request, shift: string | null): Promise<Point[]> {
  const time = shift ? `(${kpi.time} + INTERVAL '${shift}')` : kpi.time;
  const bounds = (edge: string) => (shift ? `CAST(TIMESTAMP '${edge}' - INTERVAL '${shift}' AS TIMESTAMP)` : `TIMESTAMP '${edge}'`);
  const from = bounds(request.from.replace('Z', ''));
  const to = bounds(request.to.replace('Z', ''));
  const dims = request.groupBy.map((field) => `${kpi.dimensions[field]} AS "${field}"`);
  const keys = [...(request.grain ? ['t'] : []), ...request.groupBy.map((field) => `"${field}"`)];
  const sql = `SELECT ${request.grain ? `date_trunc('${request.grain}', ${time})` : 'NULL'} AS t, ${[...dims, `${kpi.value} AS v`].join(', ')}
    FROM ${kpi.table} WHERE ${kpi.time} >= ${from} AND ${kpi.time} < ${to} AND ${kpi.filter} AND ${request.extraFilter ?? 'TRUE'}
    ${keys.length > 0 ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.map((key) => `${key} ASC NULLS LAST`).join(', ')}` : ''}`;
  return lake.sql(sql);
}

async function expectedPoints(name: string, request: Request): Promise<Point[]> {
  const kpi = ORACLE[name]!;
  const current = await oracleRows(kpi, request, null);
  const previous = request.compareTo ? await oracleRows(kpi, request, shiftOf(request)) : [];
  const key = (row: Point) => JSON.stringify([instantKey(row['t']), ...request.groupBy.map((field) => row[field] ?? null)]);
  const before = new Map(previous.map((row) => [key(row), row['v'] ?? null]));
  return current.map((row) => {
    const point: Point = { time: instantKey(row['t']), value: row['v'] ?? null };
    for (const field of Object.keys(kpi.dimensions)) point[field] = request.groupBy.includes(field) ? row[field] ?? null : null;
    const prior = request.compareTo ? before.get(key(row)) ?? null : null;
    point['previous'] = prior;
    point['change'] = prior === null || point['value'] === null || Number(prior) === 0 ? null : (Number(point['value']) - Number(prior)) / Number(prior);
    return point;
  });
}

function selection(name: string): string {
  return `time ${Object.keys(ORACLE[name]!.dimensions).join(' ')} value previous change`;
}

function argsOf(name: string, request: Partial<Request>): string {
  const kpi = ORACLE[name]!;
  const parts = [
    request.from ? `from: "${request.from}"` : '',
    request.to ? `to: "${request.to}"` : '',
    request.grain ? `grain: ${request.grain.toUpperCase()}` : '',
    request.groupBy && request.groupBy.length > 0 ? `groupBy: [${request.groupBy.map((field) => kpi.enumValues[field]).join(', ')}]` : '',
    request.compareTo ? `compareTo: ${request.compareTo}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

interface Body {
  readonly extensions: { readonly lakegate: { readonly queries: readonly { path: string; engine: string; reason: string }[] } };
}

async function apiPoints(name: string, request: Partial<Request>, role = 'engineer'): Promise<{ points: Point[]; body: Body }> {
  const response = await app.graphql(`{ kpis { ${name}${argsOf(name, request)} { ${selection(name)} } } }`, {}, role);
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  const points = (response.body.data.kpis[name] as Point[]).map((point) => ({ ...point, time: instantKey(point['time']) }));
  return { points, body: response.body };
}

function assertSamePoints(actual: Point[], expected: Point[], kind: ValueKind, context: string): void {
  assert.equal(actual.length, expected.length, `${context}: ${actual.length} points, expected ${expected.length}`);
  expected.forEach((want, index) => {
    const got = actual[index]!;
    const at = `${context} point ${index} ${JSON.stringify(got)} vs ${JSON.stringify(want)}`;
    for (const field of Object.keys(want).filter((f) => !['value', 'previous', 'change'].includes(f))) assert.equal(got[field], want[field], at);
    for (const field of ['value', 'previous'] as const) {
      if (kind === 'float' && want[field] !== null) assert.ok(Math.abs(Number(got[field]) - Number(want[field])) <= 1e-9 * Math.abs(Number(want[field])), at);
      else assert.equal(got[field] === null ? null : String(got[field]), want[field] === null ? null : String(want[field]), at);
    }
    if (want['change'] === null) assert.equal(got['change'], null, at);
    else assert.ok(Math.abs(Number(got['change']) - Number(want['change'])) <= 1e-9 * Math.max(1, Math.abs(Number(want['change']))), at);
  });
}

const OFF_MONTH: Pick<Request, 'from' | 'to'> = { from: '2024-02-10T06:00:00Z', to: '2024-03-20T00:00:00Z' };
const ONE_MONTH: Pick<Request, 'from' | 'to'> = { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };
const GRAINS = [null, 'hour', 'day', 'week', 'month'] as const;
const COMPARISONS = [null, 'PREVIOUS_PERIOD', 'PREVIOUS_YEAR'] as const;

for (const name of Object.keys(ORACLE)) {
  test(`${name}: every grain × compareTo equals DuckDB over the lake files`, async () => {
    const dimensions = Object.keys(ORACLE[name]!.dimensions);
    for (const [index, grain] of GRAINS.entries()) {
      for (const compareTo of COMPARISONS) {
        const range = compareTo === 'PREVIOUS_PERIOD' && index % 2 === 1 ? ONE_MONTH : OFF_MONTH;
        const request: Request = { ...range, grain, compareTo, groupBy: index % 2 === 0 ? dimensions : [] };
        const { points } = await apiPoints(name, request);
        const expected = await expectedPoints(name, request);
        assert.ok(expected.length > 0, `${name} ${JSON.stringify(request)} has data`);
        assertSamePoints(points, expected, ORACLE[name]!.kind, `${name} ${JSON.stringify(request)}`);
      }
    }
  });
}

test('without from/to a KPI covers its default range (P30D) ending with the bucket of the latest data', async () => {
  for (const name of ['orders', 'pageViews']) {
    const kpi = ORACLE[name]!;
    const [latest] = await lake.sql(`SELECT CAST(max(${kpi.time}) AS VARCHAR) AS latest FROM ${kpi.table}`);
    const last = new Date(instantKey(latest!['latest'])!);
    const to = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate() + 1));
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const request: Request = { from: from.toISOString(), to: to.toISOString(), grain: 'day', groupBy: [], compareTo: null };
    const { points, body } = await apiPoints(name, { grain: 'day' });
    assertSamePoints(points, await expectedPoints(name, request), kpi.kind, `${name} default range`);
    assert.equal(points.length, 30);
    const paths = body.extensions.lakegate.queries.map((query) => query.path);
    assert.deepEqual(paths, [`kpis.${name}(latest)`, `kpis.${name}`], 'the latest data is looked up first, then one query for the series');
  }
});

test('compareTo takes one engine query for both periods', async () => {
  const { body } = await apiPoints('revenue', { ...OFF_MONTH, grain: 'week', compareTo: 'PREVIOUS_PERIOD', groupBy: ['currency'] });
  assert.equal(body.extensions.lakegate.queries.length, 1);
});

test('each role gets the KPI on its own view: japan_sales revenue is its JPY transactions only', async () => {
  const request: Request = { ...ONE_MONTH, grain: 'week', groupBy: ['currency'], compareTo: null };
  const { points } = await apiPoints('revenue', request, 'japan_sales');
  assert.ok(points.length > 0);
  assert.ok(points.every((point) => point['currency'] === 'JPY'));
  assertSamePoints(points, await expectedPoints('revenue', { ...request, extraFilter: "currency = 'JPY'" }), 'decimal', 'japan_sales revenue');
  const everyone = await apiPoints('revenue', { ...ONE_MONTH }, 'engineer');
  const japan = await apiPoints('revenue', { ...ONE_MONTH }, 'japan_sales');
  assert.notEqual(everyone.points[0]!['value'], japan.points[0]!['value'], 'two roles, two values');
});

test('a KPI the caller cannot read does not exist for it: same error as a typo, and not in catalog.kpis', async () => {
  const hidden = await app.graphql('{ kpis { consoleLogins { value } } }', {}, 'analyst');
  const typo = await app.graphql('{ kpis { consoleLoginz { value } } }', {}, 'analyst');
  assert.equal(hidden.status, 400);
  assert.equal(hidden.body.errors[0].message, typo.body.errors[0].message.replace('consoleLoginz', 'consoleLogins'));
  assert.equal(hidden.body.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  const column = await app.graphql('{ kpis { contactableCustomers { value } } }', {}, 'analyst');
  assert.match(column.body.errors[0].message, /Cannot query field "contactableCustomers" on type "Kpis"/, 'a KPI over a column the caller may not read (email)');
  const engineer = await app.graphql('{ kpis { contactableCustomers(from: "2023-01-01", to: "2025-01-01") { value } } }', {}, 'engineer');
  assert.equal(engineer.body.errors, undefined, JSON.stringify(engineer.body.errors));
  const names = async (role: string) => ((await app.graphql('{ catalog { kpis { name } } }', {}, role)).body.data.catalog.kpis as { name: string }[]).map((kpi) => kpi.name);
  assert.deepEqual(await names('analyst'), ['revenue', 'orders', 'activeCustomers', 'averageOrderValue', 'pageViews']);
  assert.deepEqual(await names('auditor'), ['consoleLogins']);
  assert.deepEqual(await names('guest'), []);
  const guest = await app.graphql('{ kpis { revenue { value } } }', {}, 'guest');
  assert.match(guest.body.errors[0].message, /Cannot query field "kpis" on type "Query"/);
});

test('catalog.kpis describes each KPI: unit, measure, dimensions, grains, freshness, engine and thresholds', async () => {
  const response = await app.graphql('{ catalog { kpis { name unit dataset measure time dimensions grains defaultRange freshnessSeconds engine sla thresholds { above below dimensions } } } }', {}, 'engineer');
  const byName = new Map((response.body.data.catalog.kpis as Record<string, unknown>[]).map((kpi) => [kpi['name'], kpi]));
  assert.deepEqual(byName.get('revenue'), {
    name: 'revenue', unit: 'mixed currency', dataset: 'transactions', measure: 'sum(amount) where {"status":{"eq":"completed"}}', time: 'ts',
    dimensions: ['CHANNEL', 'CURRENCY'], grains: ['HOUR', 'DAY', 'WEEK', 'MONTH'], defaultRange: 'P30D', freshnessSeconds: 300, engine: 'local', sla: true, thresholds: [],
  });
  assert.deepEqual(byName.get('consoleLogins')!['thresholds'], [{ above: 10, below: null, dimensions: null }]);
  assert.equal(byName.get('averageOrderValue')!['measure'], 'ratio(revenue, orders)');
});

test('bad arguments are BAD_USER_INPUT naming the KPI and the argument', async () => {
  const cases: [string, RegExp][] = [
    ['orders(from: "2024-03-02", to: "2024-03-01")', /kpis\.orders: from \(2024-03-02T00:00:00Z\) must be before to/],
    ['orders(grain: QUARTER)', /kpis\.orders: grain QUARTER is not allowed \(allowed: HOUR, DAY, WEEK, MONTH\)/],
    ['orders(groupBy: [CHANNEL, CHANNEL])', /kpis\.orders: groupBy names each of the 2 dimension\(s\) at most once/],
  ];
  for (const [field, message] of cases) {
    const response = await app.graphql(`{ kpis { ${field} { value } } }`);
    assert.equal(response.body.errors[0].extensions.code, 'BAD_USER_INPUT', field);
    assert.match(response.body.errors[0].message, message);
  }
});

test('where filters on dimensions with the dataset operators; identical requests give identical bytes', async () => {
  const query = `{ kpis { orders(from: "${ONE_MONTH.from}", to: "${ONE_MONTH.to}", grain: DAY, groupBy: [CHANNEL], where: { channel: { in: ["web", "app"] }, status: { ne: "failed" } }) { time channel value } } }`;
  const first = await app.graphql(query);
  const second = await app.graphql(query);
  assert.equal(first.body.errors, undefined, JSON.stringify(first.body.errors));
  assert.equal(JSON.stringify(first.body.data), JSON.stringify(second.body.data));
  const expected = await expectedPoints('orders', { ...ONE_MONTH, grain: 'day', groupBy: ['channel'], compareTo: null, extraFilter: "channel IN ('web', 'app') AND status <> 'failed'" });
  const points: Point[] = (first.body.data.kpis.orders as Point[]).map((point) => ({ ...point, time: instantKey(point['time']) }));
  assert.deepEqual(points.map((p) => [p['time'], p['channel'], p['value']]), expected.map((p) => [p['time'], p['channel'], p['value']]));
});

test('SLA-bound KPIs say where they were read and why', async () => {
  const { body } = await apiPoints('revenue', { ...ONE_MONTH });
  assert.deepEqual(body.extensions.lakegate.queries.map((query) => [query.engine, query.reason]), [['local', 'SLA-bound read → local']]);
});
