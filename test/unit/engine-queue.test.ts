import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import { FifoGate } from '../../src/datasources/queue/fifo-gate';
import { queueingEngine } from '../../src/datasources/queue/queueing-engine';
import { isResumable } from '../../src/datasources/types';
import type { CompiledQuery } from '../../src/sql/types';
import { CountingEngine, CountingResumableEngine } from '../support/counting-engine';
import { rejectsWithCode } from '../support/engine-errors';

const query = (n: number): CompiledQuery => ({ sql: `SELECT ${n}`, params: [] });

describe('the FIFO gate', () => {
  test('lets capacity in at once, the rest in arrival order as places free up', async () => {
    const gate = new FifoGate(2, 60_000);
    const order: number[] = [];
    const passages = await Promise.all([gate.enter(), gate.enter()]);
    assert.ok(passages.every((passage) => passage.admitted));
    const waiting = [3, 4, 5].map((n) => gate.enter().then((passage) => {
      order.push(n);
      return passage;
    }));
    await tick();
    assert.deepEqual(gate.load, { inside: 2, waiting: 3 });
    for (const passage of passages) if (passage.admitted) passage.release();
    await tick();
    assert.deepEqual(order, [3, 4]);
    const [third] = await Promise.all(waiting.slice(0, 1));
    if (third?.admitted) third.release();
    await tick();
    assert.deepEqual(order, [3, 4, 5]);
  });

  test('a caller that waits past maxWaitMs gives up and never gets in; one that aborts leaves the line at once', async () => {
    const gate = new FifoGate(1, 50);
    const inside = await gate.enter();
    const timedOut = await gate.enter();
    assert.equal(timedOut.admitted, false);
    assert.equal(!timedOut.admitted && timedOut.reason, 'timeout');
    const controller = new AbortController();
    const leaving = gate.enter(controller.signal);
    controller.abort();
    const left = await leaving;
    assert.equal(!left.admitted && left.reason, 'aborted');
    assert.deepEqual(gate.load, { inside: 1, waiting: 0 });
    if (inside.admitted) {
      inside.release();
      inside.release();
    }
    assert.deepEqual(gate.load, { inside: 0, waiting: 0 }, 'a second release changes nothing');
  });

  test('with maxWaitMs 0 a caller that cannot get in at once is refused at once', async () => {
    const gate = new FifoGate(1, 0);
    await gate.enter();
    const refused = await gate.enter();
    assert.equal(!refused.admitted && refused.reason, 'timeout');
  });
});

describe('the queueing engine', () => {
  test('at most maxConcurrentQueries reach the engine; the rest wait and then run', async () => {
    const engine = new CountingEngine();
    const queued = queueingEngine(engine, { maxConcurrentQueries: 2, maxQueueMs: 60_000 });
    engine.hold();
    const running = [1, 2, 3, 4, 5].map((n) => queued.execute(query(n)));
    await sleep(20);
    assert.equal(engine.queries, 2);
    engine.release();
    const results = await Promise.all(running);
    assert.equal(results.length, 5);
    assert.equal(engine.queries, 5);
  });

  test('a query that waits longer than maxQueueMs is ENGINE_BUSY with a retry time, and never reaches the engine', async () => {
    const engine = new CountingEngine();
    const queued = queueingEngine(engine, { maxConcurrentQueries: 1, maxQueueMs: 30 });
    engine.hold();
    const first = queued.execute(query(1));
    await rejectsWithCode(queued.execute(query(2)), 'ENGINE_BUSY', /the counting engine is busy: the query waited \d+\.\d s \(limits\.maxQueueMs\) behind the 1 running at once/);
    assert.equal(engine.queries, 1);
    await assert.rejects(queued.execute(query(3)), (error: { retryAfterMs: number }) => error.retryAfterMs === 1_000);
    engine.release();
    await first;
  });

  test('an aborted wait is QUERY_CANCELLED and leaves its place to the next caller', async () => {
    const engine = new CountingEngine();
    const queued = queueingEngine(engine, { maxConcurrentQueries: 1, maxQueueMs: 60_000 });
    engine.hold();
    const first = queued.execute(query(1));
    const controller = new AbortController();
    const abandoned = queued.execute(query(2), { signal: controller.signal });
    const next = queued.execute(query(3));
    controller.abort();
    await rejectsWithCode(abandoned, 'QUERY_CANCELLED');
    engine.release();
    await Promise.all([first, next]);
    assert.deepEqual(engine.calls.map((call) => call.sql), ['SELECT 1', 'SELECT 3']);
  });

  test('a resumable engine stays resumable: detachable starts queue, resume and probe pass straight through', async () => {
    const engine = new CountingResumableEngine();
    const queued = queueingEngine(engine, { maxConcurrentQueries: 1, maxQueueMs: 30 });
    assert.ok(isResumable(queued));
    engine.hold();
    const first = queued.executeDetachable(query(1), { detachAt: Date.now() + 60_000 });
    await rejectsWithCode(queued.executeDetachable(query(2), { detachAt: Date.now() + 60_000 }), 'ENGINE_BUSY');
    await queued.resume('counting-q1', { detachAt: Date.now() + 60_000 });
    await queued.probe('counting-q1');
    engine.release();
    await first;
    assert.deepEqual(engine.calls.map((call) => call.method), ['executeDetachable', 'resume', 'probe']);
  });
});
