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

/** Awaits `running`'s rejection with this code (and message); resolves to the failed query's id. */
export async function rejectsWithCode(running: Promise<unknown>, code: string, message?: RegExp | string): Promise<string | null> {
  let queryId: string | null = null;
  await assert.rejects(running, (error: unknown) => {
    withCode(code, message)(error);
    queryId = (error as EngineError).queryId;
    return true;
  });
  return queryId;
}
