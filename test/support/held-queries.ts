import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../../src/datasources/errors';
import { forwardingEngine } from '../../src/datasources/forwarding';
import type { Engine } from '../../src/datasources/types';
import type { CompiledQuery } from '../../src/sql/types';

/**
 * A test's engine decoration that sees every engine query reaching the engine: it records it,
 * counts how many run at once (and the most ever), and while `hold()` is on keeps each one
 * waiting until `release()` — so a test can fill queues and slots at will. It sits inside the
 * engine queue and the result cache (`decorateEngine`), so it sees only queries they let through.
 */
export class HeldQueries {
  readonly started: CompiledQuery[] = [];
  running = 0;
  peak = 0;
  private gate: { promise: Promise<void>; open: () => void } | null = null;
  private failures = 0;

  readonly decorate = (engine: Engine): Engine => forwardingEngine(engine, async (inner, query, options) => {
    this.started.push(query);
    this.running += 1;
    this.peak = Math.max(this.peak, this.running);
    try {
      if (this.gate) await this.gate.promise;
      if (this.failures > 0) {
        this.failures -= 1;
        throw new EngineError('QUERY_FAILED', 'failed on purpose', inner.name);
      }
      return await inner.execute(query, options);
    } finally {
      this.running -= 1;
    }
  });

  /** Queries reaching the engine from now on wait until `release()`. */
  hold(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  /** The next `count` queries fail (QUERY_FAILED). */
  failNext(count: number): void {
    this.failures += count;
  }

  /** Lets every held query go on, and stops holding. */
  release(): void {
    this.gate?.open();
    this.gate = null;
  }

  /** How many of the started queries read `table` (its name in the SQL). */
  startedOn(table: string): number {
    return this.started.filter((query) => query.sql.includes(table)).length;
  }
}

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < giveUp, `timed out waiting for ${what}`);
    await sleep(20);
  }
}
