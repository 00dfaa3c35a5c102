import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';

/**
 * The dashboard's pure browser logic (ES modules served as they are), run in Node: threshold
 * states, changes, series pivoting, and how the catalog's dimension enum values map to point fields.
 */
const ASSETS = path.join(__dirname, '..', '..', 'src', 'server', 'dashboard', 'assets');
const load = <T>(name: string): Promise<T> => import(pathToFileURL(path.join(ASSETS, name)).href) as Promise<T>;

interface Threshold { above: number | null; below: number | null; dimensions: string | null }
interface Series { times: number[]; lines: { label: string; values: (number | null)[]; dashed?: boolean }[]; omitted: number }
interface FormatModule {
  finestGrain(grains: string[]): string;
  valueFormatter(format: string | null): (value: unknown) => string;
  describeChange(change: number | null): { direction: string; text: string };
  thresholdState(thresholds: Threshold[], value: unknown): { state: string; text: string };
  describeBucket(time: string | null, grain: string): string;
}
interface SeriesModule {
  totalSeries(points: Record<string, unknown>[]): Series;
  seriesByDimension(points: Record<string, unknown>[], field: string, maxLines: number): Series;
}
interface ApiModule {
  loadKpis(endpoint: string, token: string): Promise<{ name: string; dimensionFields: Record<string, string> }[]>;
  Unauthorized: new (message: string) => Error;
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

test('tiles start at the finest grain, the one threshold alerts watch', async () => {
  const { finestGrain } = await load<FormatModule>('format.mjs');
  assert.equal(finestGrain(['MONTH', 'DAY', 'HOUR']), 'HOUR');
  assert.equal(finestGrain(['YEAR', 'WEEK']), 'WEEK');
});

test('threshold state: KPI-wide thresholds only, above and below as the alerts judge them', async () => {
  const { thresholdState } = await load<FormatModule>('format.mjs');
  const above10: Threshold = { above: 10, below: null, dimensions: null };
  const below2: Threshold = { above: null, below: 2, dimensions: null };
  const onWeb: Threshold = { above: 1, below: null, dimensions: '{"channel":"web"}' };
  assert.deepEqual(thresholdState([above10, below2], '11'), { state: 'above', text: 'above 10' });
  assert.deepEqual(thresholdState([above10, below2], 10), { state: 'ok', text: 'ok' });
  assert.deepEqual(thresholdState([above10, below2], '1.5'), { state: 'below', text: 'below 2' });
  assert.equal(thresholdState([above10], null).state, 'unknown');
  assert.equal(thresholdState([onWeb], 100).state, 'none', 'a threshold on one dimension value is left to the alerts');
  assert.equal(thresholdState([], 100).state, 'none');
});

test('changes and values read as people expect', async () => {
  const { describeChange, valueFormatter, describeBucket } = await load<FormatModule>('format.mjs');
  assert.deepEqual(describeChange(0.1234), { direction: 'up', text: '+12.3% vs previous period' });
  assert.deepEqual(describeChange(-0.5), { direction: 'down', text: '-50.0% vs previous period' });
  assert.equal(describeChange(0).direction, 'flat');
  assert.equal(describeChange(null).direction, 'none');
  assert.match(valueFormatter('#,##0.00')('1234.5'), /^1.?234.50$/);
  assert.match(valueFormatter(null)('12345678901234567890'), /^12.?345.?678.?901.?234.?567.?890$/, 'a BigInt string keeps every digit');
  assert.equal(valueFormatter(null)(null), '–');
  assert.equal(describeBucket('2024-03-31T22:00:00Z', 'HOUR'), 'the hour from 2024-03-31 22:00 UTC');
  assert.equal(describeBucket('2024-03-01', 'MONTH'), 'the month 2024-03');
});

test('the whole KPI draws its value and the previous period; a breakdown one line per value, the largest first', async () => {
  const { totalSeries, seriesByDimension } = await load<SeriesModule>('series.mjs');
  const total = totalSeries([
    { time: '2024-03-01T00:00:00Z', value: '10.50', previous: '5.00' },
    { time: '2024-03-02T00:00:00Z', value: '11', previous: null },
  ]);
  assert.deepEqual(total.times, [Date.parse('2024-03-01T00:00:00Z') / 1000, Date.parse('2024-03-02T00:00:00Z') / 1000]);
  assert.deepEqual(total.lines.map((line) => [line.label, line.values, line.dashed ?? false]), [['value', [10.5, 11], false], ['previous period', [5, null], true]]);

  const points = [
    { time: '2024-03-01', channel: 'app', value: '1' },
    { time: '2024-03-01', channel: 'web', value: '5' },
    { time: '2024-03-02', channel: null, value: '2' },
    { time: '2024-03-02', channel: 'web', value: '6' },
    { time: '2024-03-03', channel: 'store', value: '0' },
  ];
  const split = seriesByDimension(points, 'channel', 3);
  assert.equal(split.times.length, 3);
  assert.deepEqual(split.lines.map((line) => [line.label, line.values]), [
    ['web', [5, 6, null]],
    ['(none)', [null, 2, null]],
    ['app', [1, null, null]],
  ]);
  assert.equal(split.omitted, 1, 'store was left out');
});

test('the catalog\'s dimension enum values map to the point fields of the schema', async () => {
  const { loadKpis } = await load<ApiModule>('api.mjs');
  const pointType = (fields: string[]) => ({ ofType: { ofType: { ofType: { fields: fields.map((name) => ({ name })) } } } });
  const sent: { url: string; authorization: string | null }[] = [];
  globalThis.fetch = (async (url: string, init: { headers: Record<string, string> }) => {
    sent.push({ url, authorization: init.headers['Authorization'] ?? null });
    return new Response(JSON.stringify({
      data: {
        catalog: { kpis: [{ name: 'pageViews', dimensions: ['DEVICE_OS', 'PAGE'] }, { name: 'orders', dimensions: ['CHANNEL'] }] },
        kpiFields: { fields: [
          { name: 'pageViews', type: pointType(['time', 'deviceOs', 'page', 'value', 'previous', 'change']) },
          { name: 'orders', type: pointType(['time', 'channel', 'value']) },
        ] },
      },
    }), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  const kpis = await loadKpis('/graphql', 'a-token');
  assert.deepEqual(kpis.map((kpi) => [kpi.name, kpi.dimensionFields]), [['pageViews', { DEVICE_OS: 'deviceOs', PAGE: 'page' }], ['orders', { CHANNEL: 'channel' }]]);
  assert.deepEqual(sent, [{ url: '/graphql', authorization: 'Bearer a-token' }]);
});

test('a refused token is told apart from other failures', async () => {
  const { loadKpis, Unauthorized } = await load<ApiModule>('api.mjs');
  globalThis.fetch = (async () => new Response(JSON.stringify({ errors: [{ message: 'Unauthenticated: token expired' }] }), { status: 401 })) as typeof fetch;
  await assert.rejects(loadKpis('/graphql', 'old'), (error: Error) => error instanceof Unauthorized && /token expired/.test(error.message));
  globalThis.fetch = (async () => new Response('oops', { status: 502 })) as typeof fetch;
  await assert.rejects(loadKpis('/graphql', 'x'), (error: Error) => /HTTP 502/.test(error.message) && !(error instanceof Unauthorized));
});
