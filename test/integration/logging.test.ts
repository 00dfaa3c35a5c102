import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { startTestApp } from '../support/app';

test('logs: one line per HTTP and GraphQL request, and never a bearer token', async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
      done();
    },
  });
  const app = await startTestApp({ logger: pino({ level: 'info' }, sink) });
  try {
    const token = app.token();
    const response = await app.graphql('query Top { transactions(limit: 1) { amount } }');
    assert.equal(response.status, 200);
    await new Promise((resolve) => setImmediate(resolve));
    const text = JSON.stringify(lines);
    assert.ok(!text.includes(token), 'the token must not be logged');
    assert.ok(!text.toLowerCase().includes('authorization'), 'no authorization header in logs');
    const graphqlLine = lines.find((line) => line['msg'] === 'graphql request');
    assert.deepEqual(
      { subject: graphqlLine?.['subject'], operationName: graphqlLine?.['operationName'], engineQueries: graphqlLine?.['engineQueries'] },
      { subject: 'dev-engineer', operationName: 'Top', engineQueries: 1 },
    );
    const httpLine = lines.find((line) => line['msg'] === 'request completed');
    assert.deepEqual((httpLine?.['res'] as { statusCode: number }).statusCode, 200);
  } finally {
    await app.close();
  }
});
