import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { uncachedEngine } from '../../src/datasources/cache/caching-engine';
import { observedEngine, type EngineQueryObservation } from '../../src/datasources/observed-engine';
import { queueingEngine } from '../../src/datasources/queue/queueing-engine';
import { isStreaming, type StreamingEngine } from '../../src/datasources/streams';
import type { Row } from '../../src/datasources/types';
import type { CompiledQuery } from '../../src/sql/types';

const query: CompiledQuery = { sql: 'SELECT 1', params: [] };

/** An engine whose stream hands on `batches` batches of one row each, counting what it was asked. */
function batchEngine(batches: number): StreamingEngine & { executed: number; opened: number; closed: number } {
  const engine = {
    name: 'fake',
    dialect: 'duckdb',
    capabilities: { cancellable: true, reportsBytesScanned: true, streams: true },
    executed: 0,
    opened: 0,
    closed: 0,
    execute: async () => {
      engine.executed += 1;
      return { rows: [], stats: { queryId: 'q', durationMs: 0, bytesScanned: null, rows: 0 } };
    },
    stream: (_query: CompiledQuery, options: { onFacts?: (facts: { queryId: string; bytesScanned: number | null }) => void } = {}): AsyncIterable<readonly Row[]> => ({
      async* [Symbol.asyncIterator]() {
        engine.opened += 1;
        try {
          options.onFacts?.({ queryId: 'q', bytesScanned: 42 });
          for (let index = 0; index < batches; index += 1) yield [{ index }];
        } finally {
          engine.closed += 1;
        }
      },
    }),
    health: async () => true,
    close: async () => undefined,
  };
  return engine;
}

describe('engine wrappers and streams', () => {
  test('the queue, the metrics and the uncached wrapper keep an engine streaming, and pass its batches on', async () => {
    const inner = batchEngine(3);
    const wrapped = uncachedEngine(queueingEngine(observedEngine(inner, () => undefined), { maxConcurrentQueries: 2, maxQueueMs: 1_000 }));
    assert.ok(isStreaming(wrapped));
    const rows: unknown[] = [];
    for await (const batch of wrapped.stream(query)) rows.push(...batch);
    assert.deepEqual(rows, [{ index: 0 }, { index: 1 }, { index: 2 }]);
    assert.equal(inner.closed, 1);
  });

  test('a stream holds its queue place until it ends: an execute waits behind it', async () => {
    const inner = batchEngine(3);
    const wrapped = queueingEngine(inner, { maxConcurrentQueries: 1, maxQueueMs: 5_000 });
    assert.ok(isStreaming(wrapped));
    const iterator = wrapped.stream(query)[Symbol.asyncIterator]();
    await iterator.next();
    const executing = wrapped.execute(query);
    await tick();
    assert.equal(inner.executed, 0, 'waits while the stream is open');
    await iterator.return?.();
    await executing;
    assert.equal(inner.executed, 1);
    assert.equal(inner.closed, 1, 'breaking off closes the engine stream');
  });

  test('the metrics see a stream once it ends: ok with its bytes, or cancelled when broken off', async () => {
    const seen: EngineQueryObservation[] = [];
    const wrapped = observedEngine(batchEngine(3), (observation) => seen.push(observation));
    assert.ok(isStreaming(wrapped));
    for await (const batch of wrapped.stream(query)) assert.equal(batch.length, 1);
    for await (const _batch of wrapped.stream(query)) break;
    assert.deepEqual(seen.map(({ outcome, bytesScanned }) => [outcome, bytesScanned]), [['ok', 42], ['QUERY_CANCELLED', 42]]);
  });
});
