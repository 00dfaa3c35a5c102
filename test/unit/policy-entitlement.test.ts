import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig, type LoadedConfig } from '../../src/config/load';
import { resolveEntitlement } from '../../src/policy/entitlement';
import { expandGrants, type Grant } from '../../src/policy/grants';
import { createTestLake, type TestLake } from '../support/lake';

let lake: TestLake;
let loaded: LoadedConfig;
let grants: Grant[];
const role = (name: string): string => `arn:aws:iam::111122223333:role/${name}`;

before(async () => {
  lake = await createTestLake(200);
  loaded = loadConfig(lake.configFile).value!;
  grants = expandGrants(loaded.lakeFormation!, loaded.catalog.tables, '111122223333').value;
});
after(() => lake.remove());

test('callers with the same effective access share one entitlement key (and so one schema)', () => {
  const analyst = resolveEntitlement(loaded.catalog, grants, [role('Analyst')]);
  const analystPlusNothing = resolveEntitlement(loaded.catalog, grants, [role('Analyst'), role('NoSuchRole')]);
  const japan = resolveEntitlement(loaded.catalog, grants, [role('JapanSales')]);
  assert.equal(analyst.key, analystPlusNothing.key);
  assert.notEqual(analyst.key, japan.key);
});

test('row filters do not split schemas: same columns, different rows, same key', () => {
  const japan = resolveEntitlement(loaded.catalog, grants, [role('JapanSales')]);
  const customers = japan.views.get('customers')!;
  assert.ok(customers.rowFilter !== null, 'the view carries the row filter');
  assert.ok(!customers.columns.includes('email'));
  const sameColumnsAllRows = grants.filter((grant) => grant.principal === role('JapanSales')).map((grant) => ({ ...grant, principal: role('Other'), rows: null }));
  const other = resolveEntitlement(loaded.catalog, sameColumnsAllRows, [role('Other')]);
  assert.equal(other.key, japan.key);
  assert.equal(other.views.get('customers')!.rowFilter, null);
  assert.notEqual(other.fingerprint, japan.fingerprint, 'but the fingerprint (who may pick up whose long query) tells them apart');
  const japanAgain = resolveEntitlement(loaded.catalog, grants, [role('JapanSales'), role('NoSuchRole')]);
  assert.equal(japanAgain.fingerprint, japan.fingerprint, 'the same access has the same fingerprint');
});

test('a relation into a dataset the caller cannot read is absent', () => {
  const auditor = resolveEntitlement(loaded.catalog, grants, [role('Auditor')]);
  assert.deepEqual(auditor.catalog.datasets.map((dataset) => dataset.name), ['cloudtrailEvents']);
  const analyst = resolveEntitlement(loaded.catalog, grants, [role('Analyst')]);
  const events = analyst.catalog.datasets.find((dataset) => dataset.name === 'events')!;
  assert.deepEqual(events.relations.map((relation) => relation.field), ['user'], 'events → customers stays: both readable');
  const onlyEvents = grants.filter((grant) => grant.principal === role('Analyst') && grant.table === 'web.events');
  const narrow = resolveEntitlement(loaded.catalog, onlyEvents, [role('Analyst')]);
  assert.deepEqual(narrow.catalog.datasets.find((dataset) => dataset.name === 'events')!.relations, [], 'customers unreadable: no user relation');
});
