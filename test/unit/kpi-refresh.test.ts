import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kpi } from '../../src/catalog/types';
import type { Caller, PlannerContext } from '../../src/planner/context';
import type { KpiArgs } from '../../src/planner/kpis/plan';
import { KpiRefresher, type RefreshLock } from '../../src/planner/kpis/refresh';

/** The refresher's bookkeeping on a clock of the test's own: when it runs a series, whose view, and when it lets one go. */

const KPI = { name: 'revenue', refreshMs: 1_000, keepWarmMs: 10_000 } as Kpi;
const ANALYST: Caller = { subject: 'alice', principals: ['arn:role/Analyst'] };

interface Harness {
  readonly refresher: KpiRefresher;
  readonly runs: { kpi: string; args: KpiArgs; principals: readonly string[] }[];
  clock: number;
  readable: boolean;
}

function harness(lock: RefreshLock = { acquire: async () => true }): Harness {
  const state = { clock: 0, readable: true, runs: [] as Harness['runs'] } as Harness & { runs: Harness['runs'] };
  const refresher = new KpiRefresher({
    lock,
    tickMs: 3_600_000,
    now: () => state.clock,
    logger: { warn: () => undefined },
    contextFor: (caller) => ({ caller, catalog: { kpis: state.readable ? [KPI] : [] } }) as unknown as PlannerContext,
    run: async (kpi, args, context) => void state.runs.push({ kpi: kpi.name, args, principals: context.caller.principals }),
  });
  return Object.assign(state, { refresher });
}

test('a requested series is recomputed once per interval on its caller\'s view, and not before', async () => {
  const h = harness();
  h.refresher.record(KPI, { grain: 'day' }, ANALYST);
  h.clock = 999;
  await h.refresher.tick();
  assert.equal(h.runs.length, 0, 'not due yet');
  h.clock = 1_000;
  await h.refresher.tick();
  await h.refresher.tick();
  assert.deepEqual(h.runs, [{ kpi: 'revenue', args: { grain: 'day' }, principals: ['arn:role/Analyst'] }]);
  h.clock = 2_000;
  await h.refresher.tick();
  assert.equal(h.runs.length, 2);
  h.refresher.stop();
});

test('identical requests share one series; other arguments or other principals are series of their own', () => {
  const h = harness();
  h.refresher.record(KPI, { grain: 'day' }, ANALYST);
  h.refresher.record(KPI, { grain: 'day' }, { subject: 'bob', principals: ['arn:role/Analyst'] });
  h.refresher.record(KPI, { grain: 'week' }, ANALYST);
  h.refresher.record(KPI, { grain: 'day' }, { subject: 'carol', principals: ['arn:role/JapanSales'] });
  h.refresher.record({ ...KPI, refreshMs: null }, { grain: 'day' }, ANALYST);
  assert.equal(h.refresher.size, 3);
  h.refresher.stop();
});

test('a series nobody asked for within keepWarm is let go; asking again keeps it', async () => {
  const h = harness();
  h.refresher.record(KPI, {}, ANALYST);
  h.clock = 9_000;
  h.refresher.record(KPI, {}, ANALYST);
  h.clock = 18_000;
  await h.refresher.tick();
  assert.equal(h.refresher.size, 1, 'asked at 9 s: kept until 19 s');
  h.clock = 19_001;
  await h.refresher.tick();
  assert.equal(h.refresher.size, 0);
  h.refresher.stop();
});

test('a replica that does not get the lock skips the interval; one whose caller may no longer read the KPI drops it', async () => {
  const won: string[] = [];
  const h = harness({ acquire: async (key) => { won.push(key); return won.length > 1; } });
  h.refresher.record(KPI, {}, ANALYST);
  h.clock = 1_000;
  await h.refresher.tick();
  assert.equal(h.runs.length, 0, 'another replica holds this interval');
  h.clock = 2_000;
  await h.refresher.tick();
  assert.equal(h.runs.length, 1);
  assert.notEqual(won[0], won[1], 'one lock per interval');
  h.readable = false;
  h.clock = 3_000;
  await h.refresher.tick();
  assert.equal(h.runs.length, 1);
  assert.equal(h.refresher.size, 0, 'permissions changed: the series is dropped');
  h.refresher.stop();
});
