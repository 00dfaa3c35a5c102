import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';

let app: TestApp;

before(async () => {
  app = await startTestApp();
});
after(() => app.close());

test('catalog discovery lists datasets with typed, described columns', async () => {
  const response = await app.graphql('{ catalog { datasets { name typeName description table engines columns { name column type graphqlType description partitionKey } relations { name dataset kind } } kpis { name } } }');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const datasets = response.body.data.catalog.datasets as {
    name: string; table: string; engines: string[]; description: string;
    columns: { name: string; column: string; type: string; graphqlType: string; description: string; partitionKey: boolean }[];
    relations: { name: string; dataset: string; kind: string }[];
  }[];
  assert.deepEqual(datasets.map((d) => d.name).sort(), ['cloudtrailEvents', 'customers', 'employees', 'events', 'transactions']);
  const transactions = datasets.find((d) => d.name === 'transactions')!;
  assert.equal(transactions.table, 'sales.transactions');
  assert.deepEqual(transactions.engines, ['local']);
  const amount = transactions.columns.find((c) => c.name === 'amount')!;
  assert.deepEqual({ ...amount, description: amount.description.length > 0 }, { name: 'amount', column: 'amount', type: 'decimal(12,2)', graphqlType: 'Decimal', description: true, partitionKey: false });
  assert.equal(transactions.columns.find((c) => c.name === 'dt')!.partitionKey, true);
  assert.deepEqual(transactions.relations, [{ name: 'customer', dataset: 'customers', kind: 'one' }]);
  const events = datasets.find((d) => d.name === 'events')!;
  assert.equal(events.columns.find((c) => c.name === 'items')!.graphqlType, '[EventItem]');
  assert.ok(datasets.every((d) => d.description.length > 0 && d.columns.every((c) => c.description.length > 0)));
  assert.deepEqual(response.body.data.catalog.kpis.map((kpi: { name: string }) => kpi.name), ['revenue', 'orders', 'activeCustomers', 'averageOrderValue', 'pageViews', 'consoleLogins']);
});

test('every generated type and field carries the catalog description', async () => {
  const response = await app.graphql('{ __type(name: "Transaction") { description fields { name description type { name ofType { name } } } } }');
  const type = response.body.data.__type as { description: string; fields: { name: string; description: string; type: { name: string | null } }[] };
  assert.match(type.description, /transaction/i);
  assert.ok(type.fields.every((field) => field.description && field.description.length > 0), JSON.stringify(type.fields));
  const amount = type.fields.find((field) => field.name === 'amount')!;
  assert.equal(amount.type.name, 'Decimal', 'column fields are nullable (cell filters may hide a cell)');
  assert.match(amount.description, /decimal\(12,2\)/);
});

test('types follow GraphQL naming: nested structs, array elements, enums', async () => {
  const response = await app.graphql(`{
    device: __type(name: "EventDevice") { fields { name } }
    item: __type(name: "EventItem") { fields { name type { name } } }
    column: __type(name: "TransactionColumn") { enumValues { name } }
    grain: __type(name: "TimeGrain") { enumValues { name } }
  }`);
  const data = response.body.data;
  assert.deepEqual(data.device.fields.map((f: { name: string }) => f.name), ['os', 'browser']);
  assert.deepEqual(data.item.fields.map((f: { name: string; type: { name: string } }) => [f.name, f.type.name]), [['sku', 'String'], ['qty', 'Int']]);
  assert.ok(data.column.enumValues.some((v: { name: string }) => v.name === 'TRANSACTION_ID'));
  assert.deepEqual(data.grain.enumValues.map((v: { name: string }) => v.name), ['HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']);
});
