import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { loadConfig } from '../../src/config/load';
import { startLakeFormationEmulator, type LakeFormationEmulator } from '../emulators/lakeformation';
import { startTestApp, type TestApp } from '../support/app';
import { createTestLake } from '../support/lake';

/**
 * Live mode end to end: permissions come from the Lake Formation API (our emulator, through
 * the real SDK client); a change there reaches callers' schemas without a restart.
 */
let emulator: LakeFormationEmulator;
let app: TestApp;

before(async () => {
  // The sample's own exports seed the emulator.
  const seed = await createTestLake(200);
  const snapshot = loadConfig(seed.configFile).value!.lakeFormation!;
  seed.remove();
  emulator = await startLakeFormationEmulator({
    permissions: [...snapshot.permissions],
    dataCellsFilters: [...snapshot.dataCellsFilters],
    tagDefinitions: [...snapshot.tagDefinitions],
    tableTags: [...snapshot.tableTags],
  });
  app = await startTestApp({
    configure: (loaded) => ({
      ...loaded,
      lakeFormation: null,
      persistedDocuments: null,
      config: { ...loaded.config, lakeFormation: { catalogId: '111122223333', strict: false, live: { region: 'eu-west-1', endpoint: emulator.endpoint, refreshSeconds: 300 } } },
    }),
    lakeFormationClient: new LakeFormationClient({ region: 'eu-west-1', endpoint: emulator.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }),
  });
});
after(async () => {
  await app.close();
  await emulator.close();
});

const EMAIL_QUERY = '{ customers(limit: 1) { email } }';

test('a grant changed in Lake Formation reaches the caller\'s schema without a restart', async () => {
  const before = await app.graphql(EMAIL_QUERY, {}, 'analyst');
  assert.equal(before.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', 'email starts hidden from the analyst');
  assert.ok(emulator.calls.ListPermissions > 0, 'permissions were read through the SDK');

  const grant = emulator.state.permissions.find((permission) =>
    permission.Principal.DataLakePrincipalIdentifier.endsWith(':role/Analyst') && permission.Resource.TableWithColumns?.Name === 'customers')!;
  const index = emulator.state.permissions.indexOf(grant);
  emulator.state.permissions[index] = { ...grant, Resource: { TableWithColumns: { ...grant.Resource.TableWithColumns!, ColumnWildcard: { ExcludedColumnNames: [] } } } };
  assert.deepEqual(await app.lakegate.reloadPermissions(), []);

  const after = await app.graphql(EMAIL_QUERY, {}, 'analyst');
  assert.equal(after.status, 200, JSON.stringify(after.body));
  assert.match(after.body.data.customers[0].email, /@example\.com$/);
});

test('a failing refresh keeps the last good permissions', async () => {
  emulator.failNext(10, { status: 500, errorType: 'InternalServiceException' });
  await app.lakegate.reloadPermissions();
  const response = await app.graphql('{ transactions(limit: 1) { amount } }', {}, 'analyst');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.data.transactions.length, 1);
});

