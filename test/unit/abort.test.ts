import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { dispatchedAbort, onAbort } from '../../src/datasources/shared/abort';

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

test('a dispatched abort calls its callbacks without an event listener, once, and none registered after it', () => {
  const aborts = dispatchedAbort();
  const calls: string[] = [];
  const forgetA = onAbort(aborts.signal, () => calls.push('a'));
  onAbort(aborts.signal, () => calls.push('b'));
  const forgetC = onAbort(aborts.signal, () => calls.push('c'));
  forgetC();
  forgetA();
  forgetA();
  assert.equal(getEventListeners(aborts.signal, 'abort').length, 0, 'no listener on the signal');
  let direct = 0;
  aborts.signal.addEventListener('abort', () => (direct += 1));
  aborts.abort('gone');
  aborts.abort('again');
  assert.deepEqual(calls, ['b']);
  assert.equal(direct, 1, 'listeners added to the signal itself are called as usual');
  assert.equal(aborts.signal.reason, 'gone');
  onAbort(aborts.signal, () => calls.push('late'));
  assert.deepEqual(calls, ['b'], 'as with addEventListener, a callback registered after the abort is never called');
});

test('a dispatched abort keeps its dispatcher when every callback is forgotten, for the next ones', () => {
  const aborts = dispatchedAbort();
  onAbort(aborts.signal, () => assert.fail('forgotten'))();
  let called = 0;
  onAbort(aborts.signal, () => (called += 1));
  aborts.abort();
  assert.equal(called, 1);
});
