import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import type Redis from 'ioredis';
import type { LoadedConfig } from '../../src/config/load';
import { startTestApp, type TestApp } from '../support/app';
import { countingQueries, withResultCache } from '../support/cached-app';
import { createTestLake, type TestLake } from '../support/lake';
import { connectTestRedis, deleteKeys } from '../support/redis';

/**
 * KPIs and the result cache on the real app: identical cold requests share one engine query, a
 * cached answer is never another view's (random roles and arguments, cache on against cache off),
 * a permission reload is honoured at once, and two replicas on one Redis share answers and keep
 * a refreshed KPI warm with one refresh per interval.
 */
const REDIS_URL = process.env['LAKEGATE_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const PREFIX = `lakegate:cache:test-kpi:${process.pid}-${randomBytes(4).toString('hex')}:`;
const MARCH = 'from: "2024-03-01", to: "2024-04-01"';

let lake: TestLake;
let cached: TestApp;
let uncached: TestApp;
const counting = countingQueries(150);
let redis: Redis | undefined;
const apps: TestApp[] = [];

before(async () => {
  lake = await createTestLake(3000, 5);
  cached = await startTestApp({ lake, decorateEngine: counting.decorate });
  uncached = await startTestApp({ lake, configure: withResultCache({ datasets: [], ttlMs: 0, cache: { enabled: false } }) });
  redis = await connectTestRedis(REDIS_URL);
});
after(async () => {
  await Promise.all([cached, uncached, ...apps].map((app) => app.close()));
  if (redis) {
    await deleteKeys(redis, PREFIX);
    redis.disconnect();
  }
  lake.remove();
});

interface QueryRecord {
  readonly path: string;
  readonly queryId: string;
  readonly cache: string;
  readonly ageMs?: number;
}

function records(body: { extensions: { lakegate: { queries: QueryRecord[] } } }): QueryRecord[] {
  return body.extensions.lakegate.queries;
}

test('50 identical cold KPI requests run one engine query; the next one is a hit naming that query', async () => {
  const query = `{ kpis { orders(${MARCH}, grain: WEEK, groupBy: [CHANNEL]) { time channel value } } }`;
  const before = counting.queriesOn('"transactions"');
  const responses = await Promise.all(Array.from({ length: 50 }, () => cached.graphql(query, {}, 'analyst')));
  assert.equal(counting.queriesOn('"transactions"') - before, 1, 'one engine query for all 50');
  const outcomes = responses.map((response) => records(response.body)[0]!.cache);
  assert.equal(outcomes.filter((outcome) => outcome === 'miss').length, 1);
  assert.ok(outcomes.every((outcome) => ['miss', 'shared', 'hit'].includes(outcome)), outcomes.join());
  assert.ok(responses.every((response) => JSON.stringify(response.body.data) === JSON.stringify(responses[0]!.body.data)));
  const again = await cached.graphql(query, {}, 'analyst');
  const [record] = records(again.body);
  assert.equal(record!.cache, 'hit');
  assert.equal(record!.queryId, records(responses[0]!.body)[0]!.queryId);
  assert.ok(record!.ageMs! >= 0 && record!.ageMs! < 300_000);
});

const ROLES = ['engineer', 'analyst', 'japan_sales', 'marketing', 'auditor', 'eu_analyst', 'hr', 'guest'] as const;
const KPIS: Readonly<Record<string, readonly string[]>> = {
  revenue: ['CHANNEL', 'CURRENCY'], orders: ['CHANNEL', 'STATUS'], activeCustomers: ['CHANNEL'],
  averageOrderValue: ['CHANNEL', 'CURRENCY'], pageViews: ['DEVICE_OS', 'PAGE'], consoleLogins: ['AWSREGION'],
};
const WHERE: Readonly<Record<string, readonly string[]>> = {
  revenue: ['{ currency: { in: ["JPY", "USD"] } }', '{ channel: { isNull: true } }'],
  orders: ['{ status: { ne: "failed" } }'],
  activeCustomers: ['{ channel: { eq: "web" } }'],
  averageOrderValue: ['{ not: { currency: { eq: "JPY" } } }'],
  pageViews: ['{ deviceOs: { in: ["ios", "android"] } }'],
  consoleLogins: ['{ awsregion: { like: "eu-%" } }'],
};
const RANGES = [MARCH, 'from: "2024-02-10T06:00:00Z", to: "2024-03-20"', ''] as const;

/** A KPI field with random arguments, drawn from small sets so that requests repeat and the cache is used. */
const kpiRequest = fc.constantFrom(...Object.keys(KPIS)).chain((name) => fc.record({
  role: fc.constantFrom(...ROLES),
  field: fc.tuple(
    fc.constantFrom(...RANGES),
    fc.constantFrom(null, 'DAY', 'WEEK', 'MONTH'),
    fc.subarray([...KPIS[name]!]),
    fc.option(fc.constantFrom(...WHERE[name]!), { nil: null }),
    fc.constantFrom(null, 'PREVIOUS_PERIOD', 'PREVIOUS_YEAR'),
  ).map(([range, grain, groupBy, where, compareTo]) => {
    const args = [range, grain && `grain: ${grain}`, groupBy.length > 0 && `groupBy: [${groupBy.join(', ')}]`, where && `where: ${where}`, compareTo && `compareTo: ${compareTo}`].filter(Boolean);
    return `${name}${args.length > 0 ? `(${args.join(', ')})` : ''} { time value previous change }`;
  }),
}));

test('property: with the cache on, every role gets exactly the answer it gets with the cache off', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(kpiRequest, { minLength: 1, maxLength: 4 }), async (requests) => {
      for (const { role, field } of requests) {
        const query = `{ kpis { ${field} } }`;
        const [withCache, withoutCache] = await Promise.all([cached.graphql(query, {}, role), uncached.graphql(query, {}, role)]);
        assert.deepEqual(withCache.body.errors, withoutCache.body.errors, `${role}: ${query}`);
        assert.deepEqual(withCache.body.data, withoutCache.body.data, `${role}: ${query}`);
        assert.ok(records(withoutCache.body).every((record) => record.cache === 'none'), 'cache off: nothing cached');
      }
    }),
    { numRuns: 60 },
  );
});

type Filters = { DataCellsFilters: { Name: string; RowFilter: { FilterExpression?: string } }[] };
type Permissions = { PrincipalResourcePermissions: { Principal: { DataLakePrincipalIdentifier: string } }[] };

test('a permission reload never serves rows cached under the old view: narrowed, then revoked', async () => {
  const own = await createTestLake(3000, 5);
  const app = await startTestApp({ lake: own, configure: (loaded) => withFreshness(loaded, 3_600_000) });
  apps.push(app);
  const query = `{ kpis { revenue(${MARCH}, groupBy: [CURRENCY, CHANNEL]) { currency channel value } } }`;
  const first = await app.graphql(query, {}, 'japan_sales');
  assert.equal(first.body.errors, undefined, JSON.stringify(first.body.errors));
  assert.ok((first.body.data.kpis.revenue as { channel: string | null }[]).some((point) => point.channel !== 'web'));
  assert.equal(records((await app.graphql(query, {}, 'japan_sales')).body)[0]!.cache, 'hit', 'cached for an hour');

  const rewrite = <T>(file: string, change: (document: T) => T): void => writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, 'utf8')) as T), null, 4));
  rewrite<Filters>(path.join(own.dir, 'lakeformation', 'list-data-cells-filter.json'), (document) => ({
    DataCellsFilters: document.DataCellsFilters.map((filter) => (filter.Name === 'jp_transactions' ? { ...filter, RowFilter: { FilterExpression: "currency = 'JPY' AND channel = 'web'" } } : filter)),
  }));
  assert.deepEqual(await app.lakegate.reloadPermissions(), []);
  const narrowed = await app.graphql(query, {}, 'japan_sales');
  assert.equal(records(narrowed.body)[0]!.cache, 'miss', 'the new view compiles to new SQL: nothing cached for it');
  const points = narrowed.body.data.kpis.revenue as { currency: string; channel: string | null; value: string }[];
  assert.deepEqual(points.map((point) => [point.currency, point.channel]), [['JPY', 'web']]);
  const [expected] = await own.sql(`SELECT CAST(sum(amount) AS VARCHAR) AS v FROM transactions WHERE currency = 'JPY' AND channel = 'web' AND status = 'completed' AND ts >= TIMESTAMP '2024-03-01' AND ts < TIMESTAMP '2024-04-01'`);
  assert.equal(points[0]!.value, expected!['v']);

  rewrite<Permissions>(path.join(own.dir, 'lakeformation', 'list-permissions.json'), (document) => ({
    PrincipalResourcePermissions: document.PrincipalResourcePermissions.filter((grant) => !grant.Principal.DataLakePrincipalIdentifier.endsWith(':role/JapanSales')),
  }));
  assert.deepEqual(await app.lakegate.reloadPermissions(), []);
  const revoked = await app.graphql(query, {}, 'japan_sales');
  assert.equal(revoked.body.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.equal(revoked.body.data, undefined);
});

/** Every KPI cached for `freshnessMs`; `orders` also refreshed every `refreshMs`. */
function withFreshness(loaded: LoadedConfig, freshnessMs: number, refreshMs: number | null = null): LoadedConfig {
  const kpis = loaded.catalog.kpis.map((kpi) => ({ ...kpi, freshnessMs, refreshMs: kpi.name === 'orders' ? refreshMs : null }));
  return { ...loaded, catalog: { ...loaded.catalog, kpis } };
}

function needsRedis(t: TestContext): boolean {
  if (!redis) t.skip(`Redis unreachable at ${REDIS_URL}: the cache across replicas is not tested`);
  return Boolean(redis);
}

test('two replicas on one Redis: a miss on A is a hit on B, and a refreshed KPI stays warm with one refresh per interval', async (t) => {
  if (!needsRedis(t)) return;
  const counts = [countingQueries(), countingQueries()];
  const [a, b] = await Promise.all(counts.map((count) => startTestApp({
    lake,
    decorateEngine: count.decorate,
    configure: (loaded) => withResultCache({ datasets: [], ttlMs: 0, cache: { redis: { url: REDIS_URL, urlEnv: 'LAKEGATE_TEST_KPI_REDIS_UNSET', keyPrefix: PREFIX } } })(withFreshness(loaded, 1_500, 400)),
  })));
  apps.push(a!, b!);
  const engineQueries = (): number => counts.reduce((sum, count) => sum + count.queriesOn('"transactions"'), 0);
  const query = `{ kpis { orders(${MARCH}, grain: DAY, groupBy: [STATUS]) { time status value } } }`;

  const onA = await a!.graphql(query, {}, 'analyst');
  const onB = await b!.graphql(query, {}, 'analyst');
  assert.equal(records(onA.body)[0]!.cache, 'miss');
  assert.equal(records(onB.body)[0]!.cache, 'hit', 'B reads what A computed');
  assert.deepEqual(onB.body.data, onA.body.data);

  const started = engineQueries();
  const begin = Date.now();
  await sleep(2_500);
  const refreshes = engineQueries() - started;
  const intervals = (Date.now() - begin) / 400;
  assert.ok(refreshes >= 2, `refreshed in the background (${refreshes} engine queries)`);
  assert.ok(refreshes <= Math.ceil(intervals) + 1, `${refreshes} refreshes in ${intervals.toFixed(1)} intervals: one replica per interval, not both`);

  const warm = await b!.graphql(query, {}, 'analyst');
  const [record] = records(warm.body);
  assert.equal(record!.cache, 'hit', 'past its freshness, still a hit: kept warm');
  assert.ok(record!.ageMs! < 1_500, `age ${record!.ageMs} ms`);
  assert.deepEqual(warm.body.data, onA.body.data);
});
