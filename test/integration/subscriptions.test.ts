import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import pino from 'pino';
import { TEST_SECRET, startTestApp, type TestApp } from '../support/app';
import { countingQueries, withKpiSettings, withResultCache } from '../support/cached-app';
import { appendTransactionsDay, createTestLake, type TestLake } from '../support/lake';
import { subscribe, wsClient } from '../support/ws-client';
import type { Client } from 'graphql-ws';
import type { LoadedConfig } from '../../src/config/load';

/**
 * Live KPIs over graphql-ws against the real app: the token in connection_init, one evaluation
 * per key and interval however many subscribers, new files in the lake pushed to subscribers,
 * permission reloads, edge-triggered alerts and signed webhooks.
 */
const INTERVAL_MS = 400;
const REDIS_URL = process.env['LAKEGATE_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const started: { app: TestApp; lake: TestLake; clients: Client[] }[] = [];

after(async () => {
  for (const { app, lake, clients } of started) {
    await Promise.all(clients.map((client) => client.dispose()));
    await app.close();
    lake.remove();
  }
});

interface LiveApp {
  readonly app: TestApp;
  readonly lake: TestLake;
  readonly url: string;
  client(role: string | null, token?: string): Client;
}

/** An app on a lake of its own (tests append to it), KPIs fresh for `INTERVAL_MS`, listening on a port. */
async function liveApp(options: { configure?: (loaded: LoadedConfig) => LoadedConfig; decorateEngine?: ReturnType<typeof countingQueries>['decorate']; env?: Record<string, string> } = {}): Promise<LiveApp> {
  const lake = await createTestLake(800, 3);
  const fresh = withKpiSettings(() => ({ freshnessMs: INTERVAL_MS }));
  const app = await startTestApp({
    lake,
    configure: (loaded) => fresh(options.configure ? options.configure(loaded) : loaded),
    ...(options.decorateEngine ? { decorateEngine: options.decorateEngine } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const url = `${(await app.lakegate.listen(0, '127.0.0.1')).replace('http', 'ws')}/graphql`;
  const clients: Client[] = [];
  started.push({ app, lake, clients });
  return {
    app,
    lake,
    url,
    client: (role, token) => {
      const client = wsClient(url, token ?? (role === null ? null : app.token(role)));
      clients.push(client);
      return client;
    },
  };
}

test('the token travels in connection_init: missing, malformed or expired closes with 4401; a caller gets at most maxConnectionsPerCaller', async () => {
  const live = await liveApp({ configure: (loaded) => ({ ...loaded, config: { ...loaded.config, limits: { ...loaded.config.limits, maxConnectionsPerCaller: 2 } } }) });
  const query = 'subscription { orders { value } }';
  for (const client of [live.client(null), live.client(null, 'not-a-token')]) {
    const denied = subscribe(client, query);
    await denied.until('the socket to close', () => denied.ended !== null);
    assert.deepEqual(denied.ended && 'code' in denied.ended ? denied.ended.code : denied.ended, 4401);
  }
  const auth = live.app.loaded.config.auth;
  const shortLived = jwt.sign({ role: 'analyst', sub: 'short', iss: auth.issuer, aud: auth.audience, exp: Math.floor(Date.now() / 1000) + 2 }, TEST_SECRET, { algorithm: 'HS256' });
  const expiring = subscribe(live.client(null, shortLived), query);
  await expiring.until('the first series', () => expiring.messages.length > 0);
  await expiring.until('the socket to close at exp', () => expiring.ended !== null, 5_000);
  assert.equal(expiring.ended && 'code' in expiring.ended && expiring.ended.code, 4401);

  const open = [subscribe(live.client('analyst'), query), subscribe(live.client('analyst'), query)];
  await Promise.all(open.map((subscriber) => subscriber.until('a series', () => subscriber.messages.length > 0)));
  const third = subscribe(live.client('analyst'), query);
  await third.until('the socket to close', () => third.ended !== null);
  assert.equal(third.ended && 'code' in third.ended && third.ended.code, 4429);
  assert.match(third.ended && 'reason' in third.ended ? third.ended.reason : '', /maxConnectionsPerCaller is 2/);
});

test('the first message is the current series, the same as the query; a KPI the caller cannot read does not exist for it', async () => {
  const live = await liveApp();
  const args = 'from: "2024-03-01", to: "2024-04-01", grain: WEEK, groupBy: [CHANNEL]';
  const subscriber = subscribe(live.client('analyst'), `subscription { orders(${args}) { time channel value } }`);
  await subscriber.until('the first series', () => subscriber.messages.length > 0);
  const answer = await live.app.graphql(`{ kpis { orders(${args}) { time channel value } } }`, {}, 'analyst');
  assert.deepEqual(subscriber.messages[0]!.data, answer.body.data.kpis);
  const hidden = subscribe(live.client('analyst'), 'subscription { consoleLogins { value } }');
  await hidden.until('an error', () => hidden.ended !== null);
  assert.match(JSON.stringify(hidden.ended), /Cannot query field \\"consoleLogins\\" on type \\"Subscription\\"/);
});

test('200 subscribers of one KPI share one evaluation per interval', async () => {
  const counting = countingQueries();
  const live = await liveApp({ decorateEngine: counting.decorate });
  const query = 'subscription { orders(from: "2024-02-01", to: "2024-04-01", grain: DAY) { time value } }';
  const clients = Array.from({ length: 4 }, () => live.client('analyst'));
  const subscribers = Array.from({ length: 200 }, (_, index) => subscribe(clients[index % clients.length]!, query));
  await Promise.all(subscribers.map((subscriber) => subscriber.until('the first series', () => subscriber.messages.length > 0)));
  const before = counting.queriesOn('"transactions"');
  const begin = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 6 * INTERVAL_MS));
  const evaluations = counting.queriesOn('"transactions"') - before;
  const intervals = (Date.now() - begin) / INTERVAL_MS;
  assert.ok(evaluations >= 2, `evaluated in the background (${evaluations})`);
  assert.ok(evaluations <= Math.ceil(intervals) + 1, `${evaluations} engine queries in ${intervals.toFixed(1)} intervals for 200 subscribers`);
  subscribers.forEach((subscriber) => subscriber.stop());
});

test('files added to the lake folder show up: a new dt= partition is pushed within an interval', async () => {
  const live = await liveApp();
  const subscriber = subscribe(live.client('analyst'), 'subscription { orders(grain: DAY) { time value } }');
  await subscriber.until('the first series', () => subscriber.messages.length > 0);
  const lastDay = (message: (typeof subscriber.messages)[number]) => ((message.data!['orders'] as { time: string }[]).at(-1)!.time);
  assert.equal(lastDay(subscriber.messages[0]!), '2024-03-31T00:00:00Z');
  const added = await appendTransactionsDay(live.lake.dir, '2024-03-31', '2024-04-01');
  await subscriber.until('a series with the new day', () => lastDay(subscriber.messages.at(-1)!) === '2024-04-01T00:00:00Z', 20 * INTERVAL_MS);
  const newest = (subscriber.messages.at(-1)!.data!['orders'] as { value: string }[]).at(-1)!;
  assert.equal(newest.value, String(added));
});

type Filters = { DataCellsFilters: { Name: string; RowFilter: { FilterExpression?: string } }[] };
type Permissions = { PrincipalResourcePermissions: { Principal: { DataLakePrincipalIdentifier: string } }[] };

test('a permission reload re-checks open subscriptions: a narrowed view is followed, a revoked KPI ends with an error', async () => {
  const live = await liveApp();
  const subscriber = subscribe(live.client('japan_sales'), 'subscription { orders(from: "2024-03-01", to: "2024-04-01", groupBy: [CHANNEL]) { channel value } }');
  await subscriber.until('the first series', () => subscriber.messages.length > 0);
  const rewrite = <T>(file: string, change: (document: T) => T): void => writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, 'utf8')) as T), null, 4));
  rewrite<Filters>(path.join(live.lake.dir, 'lakeformation', 'list-data-cells-filter.json'), (document) => ({
    DataCellsFilters: document.DataCellsFilters.map((filter) => (filter.Name === 'jp_transactions' ? { ...filter, RowFilter: { FilterExpression: "currency = 'JPY' AND channel = 'web'" } } : filter)),
  }));
  assert.deepEqual(await live.app.lakegate.reloadPermissions(), []);
  await subscriber.until('the narrowed series', () => {
    const channels = (subscriber.messages.at(-1)!.data?.['orders'] as { channel: string }[] | undefined)?.map((point) => point.channel);
    return JSON.stringify(channels) === '["web"]';
  });
  rewrite<Permissions>(path.join(live.lake.dir, 'lakeformation', 'list-permissions.json'), (document) => ({
    PrincipalResourcePermissions: document.PrincipalResourcePermissions.filter((grant) => !grant.Principal.DataLakePrincipalIdentifier.endsWith(':role/JapanSales')),
  }));
  assert.deepEqual(await live.app.lakegate.reloadPermissions(), []);
  await subscriber.until('the subscription to end', () => subscriber.messages.some((message) => message.errors !== undefined) || subscriber.ended !== null);
  const errors = subscriber.messages.flatMap((message) => message.errors ?? []);
  assert.equal(errors[0]?.extensions?.['code'], 'FORBIDDEN', JSON.stringify(subscriber.messages.at(-1)));
  assert.match(errors[0]!.message, /no longer readable/);
});

test('kpiAlerts: a crossing alerts once (edge-triggered), only for KPIs the caller may read; a signed webhook receives it, retried past failures', async () => {
  const received: { body: string; signature: string | undefined; delivery: string | undefined }[] = [];
  let failuresLeft = 2;
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (failuresLeft-- > 0) return void res.writeHead(500).end();
      received.push({ body, signature: req.headers['x-lakegate-signature'] as string | undefined, delivery: req.headers['x-lakegate-delivery'] as string | undefined });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookSecret = 'webhook-secret-webhook-secret-0123';
  try {
    const webhook = { url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`, secretEnv: 'LAKEGATE_TEST_WEBHOOK_SECRET', principals: ['arn:aws:iam::111122223333:role/Analyst'], kpis: ['orders'], retries: 3 };
    const live = await liveApp({
      env: { LAKEGATE_TEST_WEBHOOK_SECRET: hookSecret },
      configure: (loaded) => ({
        ...withKpiSettings((kpi) => (kpi.name === 'orders' ? { thresholds: [{ above: 30, below: null, dimensions: {}, message: null }] } : {}))(loaded),
        config: { ...loaded.config, alerts: { webhooks: [webhook] } },
      }),
    });
    const alerts = subscribe(live.client('analyst'), 'subscription { kpiAlerts { kpi threshold crossed value time message } }');
    const auditor = subscribe(live.client('auditor'), 'subscription { kpiAlerts { kpi value } }');
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    assert.equal(alerts.messages.length, 0, 'the first evaluation is the baseline');
    // Forty copies of a day of orders in one new partition: its last hour holds at least 40 (a day of the sample has about nine).
    await appendTransactionsDay(live.lake.dir, '2024-03-31', '2024-04-01', 40);
    await alerts.until('an alert', () => alerts.messages.length > 0, 20 * INTERVAL_MS);
    await new Promise((resolve) => setTimeout(resolve, 4 * INTERVAL_MS));
    assert.equal(alerts.messages.length, 1, `once per crossing, not every tick: ${JSON.stringify(alerts.messages)}`);
    const alert = alerts.messages[0]!.data!['kpiAlerts'] as { kpi: string; threshold: string; crossed: string; value: number; time: string };
    assert.deepEqual([alert.kpi, alert.threshold, alert.crossed], ['orders', 'above 30', 'above']);
    assert.ok(alert.value >= 40);
    assert.match(alert.time, /^2024-04-01T\d{2}:00:00Z$/);
    assert.equal(auditor.messages.length, 0, 'the auditor cannot read orders: no alert');

    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 10_000;
      const poll = () => (received.length > 0 ? resolve() : Date.now() > deadline ? reject(new Error('no webhook delivery')) : setTimeout(poll, 50));
      poll();
    });
    const [delivery] = received;
    assert.equal(delivery!.signature, `sha256=${createHmac('sha256', hookSecret).update(delivery!.body).digest('hex')}`);
    const payload = JSON.parse(delivery!.body) as { kpi: string; crossed: string; value: number };
    assert.deepEqual([payload.kpi, payload.crossed], ['orders', 'above']);
    assert.equal(failuresLeft, -1, 'two failed attempts, then delivered');
    assert.equal(received.length, 1, `one delivery: ${JSON.stringify(received)}`);
  } finally {
    receiver.close();
  }
});

test('two replicas on one Redis: one evaluates a key per interval, both publish to their subscribers', async (t) => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1_000, retryStrategy: () => null });
  probe.on('error', () => undefined);
  if (!(await probe.connect().then(() => true, () => false))) return t.skip(`Redis unreachable at ${REDIS_URL}`);
  const prefix = `lakegate:test-live:${process.pid}-${randomBytes(4).toString('hex')}:`;
  const lake = await createTestLake(800, 4);
  // Every evaluation — an engine query or an answer from the shared cache — writes an audit line.
  const evaluations: number[] = [];
  const audit = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().trim().split('\n')) {
        const entry = JSON.parse(line) as { audit?: boolean; subject?: string; msg?: string };
        if (entry.audit && entry.subject === 'lakegate:live' && entry.msg === 'engine query') evaluations.push(Date.now());
      }
      done();
    },
  });
  const shared = (loaded: LoadedConfig): LoadedConfig => withKpiSettings(() => ({ freshnessMs: INTERVAL_MS }))(withResultCache({ datasets: [], ttlMs: 0, cache: { redis: { url: REDIS_URL, urlEnv: 'LAKEGATE_TEST_LIVE_REDIS_UNSET', keyPrefix: prefix } } })(loaded));
  const apps = await Promise.all([0, 1].map(() => startTestApp({ lake, logger: pino({ level: 'info' }, audit), configure: shared })));
  const clients: Client[] = [];
  try {
    const subscribers = await Promise.all(apps.map(async (app) => {
      const client = wsClient(`${(await app.lakegate.listen(0, '127.0.0.1')).replace('http', 'ws')}/graphql`, app.token('analyst'));
      clients.push(client);
      return subscribe(client, 'subscription { orders(grain: DAY) { time value } }');
    }));
    await Promise.all(subscribers.map((subscriber) => subscriber.until('the first series', () => subscriber.messages.length > 0)));
    const begin = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10 * INTERVAL_MS));
    const intervals = (Date.now() - begin) / INTERVAL_MS;
    // An evaluation without `to` reads twice: the latest data, then the series. Both replicas
    // evaluating every interval would make about twice the intervals; one extra is allowed for a
    // lock call that timed out on a loaded machine (then a replica evaluates rather than skip).
    const evaluated = evaluations.filter((at) => at >= begin).length / 2;
    assert.ok(evaluated >= 2, `evaluated in the background (${evaluated})`);
    assert.ok(evaluated <= Math.ceil(intervals) + 2, `${evaluated} evaluations in ${intervals.toFixed(1)} intervals on two replicas`);
    await appendTransactionsDay(lake.dir, '2024-03-31', '2024-04-01');
    const lastDay = (subscriber: (typeof subscribers)[number]) => ((subscriber.messages.at(-1)!.data!['orders'] as { time: string }[]).at(-1)!.time);
    await Promise.all(subscribers.map((subscriber) => subscriber.until('the new day on both replicas', () => lastDay(subscriber) === '2024-04-01T00:00:00Z', 20 * INTERVAL_MS)));
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all(apps.map((app) => app.close()));
    const keys = await probe.keys(`${prefix}*`);
    if (keys.length > 0) await probe.del(...keys);
    probe.disconnect();
    lake.remove();
  }
});

test('a subscription document is held to the request limits before anything is evaluated', async () => {
  const counting = countingQueries();
  const live = await liveApp({ decorateEngine: counting.decorate });
  const aliases = Array.from({ length: 40 }, (_, index) => `o${index}: orders(from: "2024-0${1 + (index % 3)}-01", to: "2024-04-01") { value }`).join(' ');
  const refused = subscribe(live.client('analyst'), `subscription { ${aliases} }`);
  await refused.until('the refusal', () => refused.ended !== null);
  assert.equal(refused.ended?.kind, 'error');
  const [error] = (refused.ended as { error: { message: string; extensions: Record<string, unknown> }[] }).error;
  assert.equal(error!.extensions['code'], 'LIMIT_EXCEEDED');
  assert.equal(error!.extensions['limit'], 'maxAliases');
  const deep = subscribe(live.client('analyst'), `subscription { orders(where: ${'{ not: '.repeat(20)}{ channel: { eq: "web" } }${' }'.repeat(20)}) { value } }`);
  await deep.until('the refusal', () => deep.ended !== null);
  assert.equal(((deep.ended as { error: { extensions: Record<string, unknown> }[] }).error)[0]!.extensions['limit'], 'maxFilterDepth');
  assert.equal(counting.queriesOn('"transactions"'), 0, 'nothing evaluated');
});
