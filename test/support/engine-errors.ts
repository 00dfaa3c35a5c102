import assert from 'node:assert/strict';
import type { EngineError } from '../../src/datasources/errors';

/** An `assert.rejects` validator: the rejection is an EngineError with this code (and message). */
export const withCode = (code: string, message?: RegExp | string) => (error: unknown): boolean => {
  const engineError = error as EngineError;
  assert.equal(engineError.name, 'EngineError', String(error));
  assert.equal(engineError.code, code, engineError.message);
  if (typeof message === 'string') assert.equal(engineError.message, message);
  else if (message) assert.match(engineError.message, message);
  return true;
};
