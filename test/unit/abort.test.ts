import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { onAbort } from '../../src/datasources/shared/abort';

/** A signal shared by many queries carries one listener of ours, gone with the last query. */

test('many callbacks on one signal: one abort listener, every callback called once on abort', () => {
  const controller = new AbortController();
  const calls: number[] = [];
  const forgets = Array.from({ length: 50 }, (_, index) => onAbort(controller.signal, () => calls.push(index)));
  assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
  forgets[3]!();
  controller.abort();
  controller.abort();
  assert.deepEqual(calls, Array.from({ length: 50 }, (_, index) => index).filter((index) => index !== 3), 'an unregistered callback is not called');
  for (const forget of forgets) forget();
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test('the listener leaves the signal with the last callback, and comes back for the next', () => {
  const controller = new AbortController();
  const first = onAbort(controller.signal, () => assert.fail('unregistered'));
  const second = onAbort(controller.signal, () => assert.fail('unregistered'));
  first();
  first();
  assert.equal(getEventListeners(controller.signal, 'abort').length, 1, 'forgetting twice does not drop another callback');
  second();
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  let called = 0;
  onAbort(controller.signal, () => (called += 1));
  assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
  controller.abort();
  assert.equal(called, 1);
});

test('a callback that unregisters another during the abort keeps it from running, as with addEventListener', () => {
  const controller = new AbortController();
  const calls: string[] = [];
  let forgetLater = (): void => undefined;
  onAbort(controller.signal, () => {
    calls.push('first');
    forgetLater();
  });
  forgetLater = onAbort(controller.signal, () => calls.push('later'));
  controller.abort();
  assert.deepEqual(calls, ['first']);
});

test('an already aborted signal never calls back (callers check `aborted` first)', () => {
  const signal = AbortSignal.abort();
  let called = false;
  const forget = onAbort(signal, () => (called = true));
  forget();
  assert.equal(called, false);
});
