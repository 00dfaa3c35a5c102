import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallRateLimiter, DEFAULT_POLL, pollDelay, pollOptions, pollSchedule, sleep } from '../../src/datasources/athena/poll';

test('the poll schedule starts fast and grows geometrically to its cap', () => {
  assert.deepEqual(pollSchedule(8, DEFAULT_POLL), [50, 75, 113, 169, 253, 380, 570, 854]);
  assert.deepEqual(pollSchedule(6, pollOptions({ firstMs: 100, factor: 2, maxMs: 1000 })), [100, 200, 400, 800, 1000, 1000]);
  assert.equal(pollDelay(1_000_000, DEFAULT_POLL), DEFAULT_POLL.maxMs, 'a query polled for hours stays at the cap');
  assert.deepEqual(pollSchedule(3, pollOptions({ factor: 1 })), [50, 50, 50]);
});

test('poll options are checked when the engine is made', () => {
  assert.deepEqual(pollOptions(), DEFAULT_POLL);
  assert.throws(() => pollOptions({ firstMs: 0 }), /firstMs/);
  assert.throws(() => pollOptions({ factor: 0.5 }), /factor/);
  assert.throws(() => pollOptions({ firstMs: 500, maxMs: 100 }), /maxMs/);
  assert.throws(() => pollOptions({ maxCallsPerSecond: Number.NaN }), /maxCallsPerSecond/);
});

test('the rate limiter spaces calls 1000 / rate ms apart, in the order they ask (fake clock)', () => {
  let now = 1_000;
  const limiter = new CallRateLimiter(10, () => now);
  assert.deepEqual([limiter.reserve(), limiter.reserve(), limiter.reserve()], [0, 100, 200]);
  now += 50;
  assert.equal(limiter.reserve(), 250, 'the fourth call waits for its slot at t+300');
  now += 1_000;
  assert.equal(limiter.reserve(), 0, 'an idle limiter lets the next call through at once');
  assert.equal(limiter.reserve(), 100);
});

test('sleep ends early, with the signal\'s reason, when the signal aborts', async () => {
  const controller = new AbortController();
  const started = performance.now();
  const waiting = sleep(5_000, controller.signal);
  setTimeout(() => controller.abort('stop'), 10);
  await assert.rejects(waiting, (reason) => reason === 'stop');
  assert.ok(performance.now() - started < 1_000);
  await assert.rejects(sleep(10, AbortSignal.abort('already')), (reason) => reason === 'already');
  await sleep(0);
});
