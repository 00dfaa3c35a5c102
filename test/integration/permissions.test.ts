import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app';

/**
 * The sample roles, each exercising one Lake Formation rule, with the exact rows and cells
 * expected (computed here from the raw files and the grants the sample ships).
 */
let app: TestApp;
let customers: Record<string, unknown>[];
let transactions: Record<string, unknown>[];
let employees: Record<string, unknown>[];

before(async () => {
  app = await startTestApp();
  customers = await app.lake.rawRows('customers');
  transactions = await app.lake.rawRows('transactions');
  employees = await app.lake.rawRows('employees');
});
after(() => app.close());

async function ask(role: string, query: string): Promise<{ status: number; data: Record<string, unknown> | undefined; errors: { message: string; extensions: { code: string } }[] | undefined }> {
  const response = await app.graphql(query, {}, role);
  return { status: response.status, data: response.body.data, errors: response.body.errors };
}

async function datasetNames(role: string): Promise<{ readable: string[]; describeOnly: string[] }> {
  const { data } = await ask(role, '{ catalog { datasets { name readable } } }');
  const list = (data!['catalog'] as { datasets: { name: string; readable: boolean }[] }).datasets;
  return { readable: list.filter((d) => d.readable).map((d) => d.name).sort(), describeOnly: list.filter((d) => !d.readable).map((d) => d.name).sort() };
}

const sortBy = <T extends Record<string, unknown>>(rows: T[], key: string): T[] => [...rows].sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : 1));

describe('analyst: columns by ColumnWildcard with an exclusion', () => {
  test('reads customers without email; email does not exist for it', async () => {
    const ok = await ask('analyst', '{ customers(limit: 10000) { customerId name country } }');
    assert.equal((ok.data!['customers'] as unknown[]).length, customers.length);
    const hidden = await ask('analyst', '{ customers { email } }');
    const typo = await ask('analyst', '{ customers { emial } }');
    assert.equal(hidden.status, 400);
    assert.equal(hidden.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.equal(hidden.errors?.[0]?.message.replace('email', 'X'), typo.errors?.[0]?.message.replace('emial', 'X'), 'a hidden field fails exactly like a typo');
    const type = await ask('analyst', '{ __type(name: "Customer") { fields { name } } }');
    assert.ok(!(type.data!['__type'] as { fields: { name: string }[] }).fields.some((field) => field.name === 'email'));
  });

  test('does not see hr or security datasets at all', async () => {
    const names = await datasetNames('analyst');
    assert.ok(!names.readable.includes('employees') && !names.describeOnly.includes('employees'));
    const response = await ask('analyst', '{ employees { name } }');
    assert.equal(response.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  });
});

describe('japan_sales: data cells filters restrict rows', () => {
  test('only Japanese customers and JPY transactions, aggregates included', async () => {
    const { data } = await ask('japan_sales', '{ customers(limit: 10000) { country } transactionsAggregate { count sum { amount } } }');
    const rows = data!['customers'] as { country: string }[];
    assert.equal(rows.length, customers.filter((row) => row['country'] === 'JP').length);
    assert.ok(rows.length > 0 && rows.every((row) => row.country === 'JP'));
    const jpy = transactions.filter((row) => row['currency'] === 'JPY');
    assert.equal((data!['transactionsAggregate'] as { count: string }[])[0]!.count, String(jpy.length));
  });

  test('a relation sees only the target rows the caller may read', async () => {
    const { data } = await ask('japan_sales', '{ transactions(limit: 200) { customer { country } } }');
    const rows = data!['transactions'] as { customer: { country: string } | null }[];
    assert.ok(rows.every((row) => row.customer === null || row.customer.country === 'JP'));
  });
});

describe('hr: cell masking from two grants', () => {
  test('salary reads null outside engineering, and filtering on it cannot reveal hidden values', async () => {
    const { data } = await ask('hr', '{ employees(limit: 1000) { name org salary } }');
    const rows = sortBy(data!['employees'] as { name: string; org: string; salary: number | null }[], 'name');
    const expected = sortBy(employees.map((row) => ({ name: String(row['name']), org: String(row['org']), salary: row['org'] === 'engineering' ? Number(row['salary']) : null })), 'name');
    assert.deepEqual(rows, expected);
    const filtered = await ask('hr', '{ employees(where: { salary: { gt: 0 } }, limit: 1000) { org } }');
    assert.ok((filtered.data!['employees'] as { org: string }[]).every((row) => row.org === 'engineering'));
    const [aggregate] = (await ask('hr', '{ employeesAggregate(groupBy: [ORG]) { key { org } max { salary } } }')).data!['employeesAggregate'] as { key: { org: string }; max: { salary: number | null } }[];
    assert.ok(aggregate);
    const groups = (await ask('hr', '{ employeesAggregate(groupBy: [ORG]) { key { org } max { salary } } }')).data!['employeesAggregate'] as { key: { org: string }; max: { salary: number | null } }[];
    for (const group of groups) assert.equal(group.max.salary === null, group.key.org !== 'engineering', group.key.org);
  });
});

describe('marketing: LF-Tag policies with database → table → column inheritance', () => {
  test('reads sales and web tables without the columns tagged pii, nothing tagged confidential', async () => {
    const names = await datasetNames('marketing');
    assert.deepEqual(names.readable, ['customers', 'events', 'transactions']);
    const type = await ask('marketing', '{ __type(name: "Customer") { fields { name } } }');
    const fields = (type.data!['__type'] as { fields: { name: string }[] }).fields.map((field) => field.name).sort();
    assert.deepEqual(fields, ['country', 'createdAt', 'customerId', 'segment', 'transactions']);
    const { data } = await ask('marketing', '{ customersAggregate(groupBy: [COUNTRY]) { key { country } count } }');
    const total = (data!['customersAggregate'] as { count: string }[]).reduce((sum, row) => sum + Number(row.count), 0);
    assert.equal(total, customers.length);
  });
});

describe('eu_analyst: two overlapping data cells filters', () => {
  test('rows are the union; each cell is visible only where a filter covering its column holds', async () => {
    const { data } = await ask('eu_analyst', '{ customers(limit: 10000) { customerId email segment createdAt country } }');
    const rows = sortBy(data!['customers'] as Record<string, unknown>[], 'customerId');
    const eu = (row: Record<string, unknown>): boolean => ['DE', 'FR', 'GB'].includes(String(row['country']));
    const enterprise = (row: Record<string, unknown>): boolean => row['segment'] === 'enterprise';
    const expected = sortBy(customers.filter((row) => eu(row) || enterprise(row)).map((row) => ({
      customerId: String(row['customer_id']),
      email: eu(row) ? row['email'] : null,
      segment: enterprise(row) ? row['segment'] : null,
      createdAt: enterprise(row) ? `${String(row['created_at']).replace(' ', 'T')}Z`.replace(/\.?0*Z$/, 'Z') : null,
      country: row['country'],
    })), 'customerId');
    assert.ok(expected.some((row) => row.email === null) && expected.some((row) => row.segment === null));
    assert.deepEqual(rows.map((row) => ({ ...row, createdAt: row['createdAt'] === null ? null : String(row['createdAt']).replace(/\.?0*Z$/, 'Z') })), expected);
  });

  test('grouping and counting see the masked values, not the raw ones', async () => {
    const { data } = await ask('eu_analyst', '{ customersAggregate(groupBy: [SEGMENT]) { key { segment } count } }');
    const groups = new Map((data!['customersAggregate'] as { key: { segment: string | null }; count: string }[]).map((row) => [row.key.segment, Number(row.count)]));
    const visible = customers.filter((row) => ['DE', 'FR', 'GB'].includes(String(row['country'])) || row['segment'] === 'enterprise');
    assert.deepEqual([...groups.keys()].sort(), ['enterprise', null].sort(), 'only enterprise or masked segments are visible');
    assert.equal(groups.get('enterprise'), visible.filter((row) => row['segment'] === 'enterprise').length);
    assert.equal(groups.get(null), visible.filter((row) => row['segment'] !== 'enterprise').length);
  });
});

describe('auditor: DESCRIBE-only is listed, not readable', () => {
  test('employees is listed without columns and has no query field', async () => {
    const names = await datasetNames('auditor');
    assert.ok(names.describeOnly.includes('employees'), JSON.stringify(names));
    const response = await ask('auditor', '{ employees { name } }');
    assert.equal(response.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  });
});

describe('a caller with no grants', () => {
  test('gets discovery (and the long-query status field) only, and no data', async () => {
    const names = await datasetNames('guest');
    assert.deepEqual(names.readable, []);
    const response = await ask('guest', '{ transactions { amount } }');
    assert.equal(response.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    const schema = await ask('guest', '{ __schema { queryType { fields { name } } } }');
    assert.deepEqual((schema.data!['__schema'] as { queryType: { fields: { name: string }[] } }).queryType.fields.map((field) => field.name), ['catalog', 'queryStatus']);
  });
});
