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

    lines.length = 0;
    const filtered = await app.graphql('{ transactions(where: { status: { eq: "completed" } }, limit: 3) { amount customer { name } } }', {}, 'japan_sales');
    assert.equal(filtered.status, 200, JSON.stringify(filtered.body));
    await new Promise((resolve) => setImmediate(resolve));
    const audit = lines.filter((line) => line['audit'] === true && line['msg'] === 'engine query');
    const queryIds = (filtered.body.extensions.lakegate.queries as { queryId: string }[]).map((q) => q.queryId);
    assert.deepEqual(audit.map((line) => line['queryId']), queryIds, 'one audit line per engine query, with its id');
    assert.deepEqual(audit.map((line) => [line['dataset'], line['columns'], line['filters'], line['engine']]), [
      ['transactions', ['amount', 'customer_id', 'status', 'transaction_id'], ['jp_transactions'], 'local'],
      ['customers', ['customer_id', 'name'], ['jp_customers'], 'local'],
    ]);
    assert.ok(audit.every((line) => line['subject'] === 'dev-japan_sales'));
    assert.deepEqual(audit[0]!['principals'], ['arn:aws:iam::111122223333:role/JapanSales']);
  } finally {
    await app.close();
  }
});
