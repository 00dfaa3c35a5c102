import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test, type TestContext } from 'node:test';
import { AthenaClient } from '@aws-sdk/client-athena';
import type Redis from 'ioredis';
import type { LoadedConfig } from '../../src/config/load';
import type { LongQueriesConfig } from '../../src/config/schema';
import type { AthenaEmulator } from '../emulators/athena';
import { startTestApp, type TestApp } from '../support/app';
import { withResultCache } from '../support/cached-app';
import { createTestLake, type TestLake } from '../support/lake';
import { connectTestRedis, deleteKeys } from '../support/redis';
import { startAthenaOverLake } from '../support/athena-lake';

/**
 * The per-caller Athena bytes budget through the whole app, on Athena (our emulator over the
 * sample lake, through the real SDK; it reports every data byte of the tables a query names):
 * queries run until the caller's day is at its budget, then a new one is LIMIT_EXCEEDED before
 * StartQueryExecution; other callers are unaffected; an answer from the result cache is still
 * served and costs nothing; with Redis the day is counted once for every app instance.
 */
const REDIS_URL = process.env.LAKEGATE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `lakegate:rl:test-budget:${process.pid}-${randomBytes(4).toString('hex')}:`;
const HOUR = 3_600_000;

let lake: TestLake;
let emulator: AthenaEmulator;
let redis: Redis | undefined;
/** Bytes the emulator reports for one query on `transactions`. */
let perQuery: number;
const started: TestApp[] = [];

interface Setup {
  readonly budget?: number;
  readonly redisUrl?: string;
  readonly prefix?: string;
  readonly longQueries?: boolean;
}

before(async () => {
  redis = await connectTestRedis(REDIS_URL);
  lake = await createTestLake(300);
  emulator = await startAthenaOverLake(lake.configFile);
  const probe = await instance({});
  const response = await probe.graphql(read(1), {}, 'analyst');
  perQuery = response.body.extensions.lakegate.queries[0].bytesScanned as number;
  assert.ok(perQuery > 0, 'the emulator reports bytes scanned');
});

after(async () => {
  await Promise.all(started.map((app) => app.close()));
  await emulator?.close();
  if (redis) {
    await deleteKeys(redis, PREFIX);
    redis.disconnect();
  }
  lake?.remove();
});

/** An app instance over the shared lake reading through Athena, `transactions` cached for an hour, with the budget and Redis of `setup`. */
async function instance(setup: Setup): Promise<TestApp> {
  const prefix = setup.prefix ?? `${PREFIX}${randomBytes(3).toString('hex')}:`;
  const longQueries: LongQueriesConfig = { waitMs: 5_000, graceMs: 10_000, sweepIntervalMs: 1_000, redis: { urlEnv: 'LAKEGATE_TEST_BUDGET_REDIS_UNSET', keyPrefix: `${prefix}lq:` } };
  const cached = withResultCache({
    datasets: ['transactions'],
    ttlMs: HOUR,
    cache: { redis: { urlEnv: 'LAKEGATE_TEST_BUDGET_REDIS_UNSET', keyPrefix: `${prefix}cache:`, ...(setup.redisUrl ? { url: setup.redisUrl } : {}) } },
  });
  const app = await startTestApp({
    lake,
    limits: { redisKeyPrefix: `${prefix}rl:` },
    configure: (loaded: LoadedConfig) => {
      const patched = cached(loaded);
      return {
        ...patched,
        config: {
          ...patched.config,
          engines: { ...patched.config.engines, athena: { region: 'eu-west-1', workGroup: 'primary', catalog: 'AwsDataCatalog' } },
          budgets: setup.budget === undefined ? {} : { athenaBytesPerDay: setup.budget },
          ...(setup.longQueries ? { longQueries } : {}),
        },
        catalog: { ...patched.catalog, datasets: patched.catalog.datasets.map((dataset) => ({ ...dataset, engines: ['athena'] })) },
      };
    },
    engineClients: async () => ({ athena: new AthenaClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) }),
  });
  started.push(app);
  return app;
}

function needsRedis(t: TestContext): boolean {
  if (!redis) t.skip(`Redis unreachable at ${REDIS_URL} (set LAKEGATE_REDIS_URL): the budget across instances is not tested`);
  return Boolean(redis);
}

/** Distinct reads of `transactions` (each its own engine query and cache entry). */
const read = (n: number): string => `{ transactions(limit: ${n}, orderBy: [{ transactionId: ASC }]) { transactionId } }`;

async function served(app: TestApp, query: string, role: string, cache: 'miss' | 'hit'): Promise<void> {
  const response = await app.graphql(query, {}, role);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
  const [record] = response.body.extensions.lakegate.queries;
  assert.equal(record.engine, 'athena');
  assert.equal(record.cache, cache);
}

async function refusedBeforeStarting(app: TestApp, query: string, role: string): Promise<void> {
  const starts = emulator.calls.StartQueryExecution;
  const response = await app.graphql(query, {}, role);
  assert.equal(response.status, 400, JSON.stringify(response.body));
  const [error] = response.body.errors;
  assert.equal(error.extensions.code, 'LIMIT_EXCEEDED');
  assert.equal(error.extensions.budgetBytes, 2 * perQuery);
  assert.ok(error.extensions.spentBytes >= 2 * perQuery);
  const resetsAt = new Date(error.extensions.resetsAt as string);
  assert.equal(resetsAt.getTime() % 86_400_000, 0, 'midnight UTC');
  assert.ok(resetsAt.getTime() > Date.now() && resetsAt.getTime() <= Date.now() + 86_400_000);
  assert.match(error.message, new RegExp(`^transactions: this caller's Athena queries scanned .+ today, its budget of .+ per UTC day \\(budgets\\.athenaBytesPerDay\\): no new Athena query starts until it resets at ${error.extensions.resetsAt}; answers in the result cache are still served$`));
  assert.equal(emulator.calls.StartQueryExecution, starts, 'refused before StartQueryExecution');
}

test('queries run until the caller\'s day reaches its budget; then a new one is refused before it starts, a cached answer is still served, another caller is unaffected', async () => {
  const app = await instance({ budget: 2 * perQuery, longQueries: true });
  await served(app, read(2), 'analyst', 'miss');
  await served(app, read(2), 'analyst', 'hit');
  await served(app, read(3), 'analyst', 'miss');
  await refusedBeforeStarting(app, read(4), 'analyst');
  await served(app, read(2), 'analyst', 'hit');
  await served(app, read(4), 'japan_sales', 'miss');
  await refusedBeforeStarting(app, read(5), 'analyst');
});

test('with Redis the day is counted once for all instances: spent on one, refused on the other', async (t) => {
  if (!needsRedis(t)) return;
  const shared = `${PREFIX}shared:`;
  const a = await instance({ budget: 2 * perQuery, redisUrl: REDIS_URL, prefix: shared });
  const b = await instance({ budget: 2 * perQuery, redisUrl: REDIS_URL, prefix: shared });
  await served(a, read(6), 'analyst', 'miss');
  await served(b, read(7), 'analyst', 'miss');
  await refusedBeforeStarting(a, read(8), 'analyst');
  await refusedBeforeStarting(b, read(8), 'analyst');
  await served(b, read(6), 'analyst', 'hit');
  await served(a, read(8), 'engineer', 'miss');
  assert.ok((await redis!.keys(`${shared}rl:bytes:*`)).length > 0, 'counted in Redis under the configured prefix');
});
