import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineAvailability } from '../../src/router/availability';

test('an engine marked down is left out for the cool-down, then comes back', () => {
  let now = 1_000;
  const availability = new EngineAvailability(30_000, () => now);
  availability.markDown('redshift');
  assert.deepEqual([...availability.available(['athena', 'redshift'])], ['athena']);
  now += 29_999;
  assert.deepEqual([...availability.available(['athena', 'redshift'])], ['athena']);
  now += 1;
  assert.deepEqual([...availability.available(['athena', 'redshift'])], ['athena', 'redshift']);
});
