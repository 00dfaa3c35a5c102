import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { formatIssue, loadConfig } from '../../src/config/load';
import { createPolicyStore } from '../../src/policy/store';

/**
 * The `lakeFormation` section at load: tables an LF-Tag grant could reach without a tag export
 * (a warning, an error with `strict`), and `catalogId` taken from the exports when left out.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-config-lf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const MARKETING = `arn:aws:iam::${ACCOUNT}:role/Marketing`;
const ANALYST = `arn:aws:iam::${ACCOUNT}:role/Analyst`;

function write(name: string, content: unknown): string {
  writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 4));
  return name;
}

const glueTable = (name: string, columns: string[]): object => ({
  Name: name,
  DatabaseName: 'shop',
  CatalogId: ACCOUNT,
  StorageDescriptor: { Columns: columns.map((column) => ({ Name: column, Type: 'string' })), Location: `s3://bucket/shop/${name}/` },
  Parameters: { classification: 'parquet' },
});
write('shop.json', {
  TableList: [glueTable('orders', ['order_id', 'status']), glueTable('customers', ['customer_id', 'email']), glueTable('returns', ['return_id'])],
});

const pair = (key: string, value: string, catalogId = ACCOUNT): object => ({ CatalogId: catalogId, TagKey: key, TagValues: [value] });
const tagPolicy = (principal: string, catalogId = ACCOUNT): object => ({
  Principal: { DataLakePrincipalIdentifier: principal },
  Resource: { LFTagPolicy: { CatalogId: catalogId, ResourceType: 'TABLE', Expression: [{ TagKey: 'domain', TagValues: ['shop'] }] } },
  Permissions: ['SELECT'],
  PermissionsWithGrantOption: [],
});
const tableGrant = (catalogId?: string): object => ({
  Principal: { DataLakePrincipalIdentifier: ANALYST },
  Resource: { Table: { ...(catalogId ? { CatalogId: catalogId } : {}), DatabaseName: 'shop', Name: 'orders' } },
  Permissions: ['SELECT'],
  PermissionsWithGrantOption: [],
});
const tagged = (table: string, catalogId = ACCOUNT): object => ({
  Table: { CatalogId: catalogId, DatabaseName: 'shop', Name: table },
  LFTagOnDatabase: [pair('domain', 'shop', catalogId)],
  LFTagsOnTable: [pair('domain', 'shop', catalogId)],
  LFTagsOnColumns: [],
});

/** The two datasets served: shop.orders and shop.customers (shop.returns is in Glue, not served). */
function configYaml(lakeFormation: string): string {
  return `catalog: { glue: { files: [shop.json] } }
engines: { local: { type: duckdb, lakePath: ., s3Prefix: "s3://bucket/" } }
lakeFormation:
${lakeFormation}
datasets:
  - { name: orders, type: Order, table: shop.orders }
  - { name: customers, type: Customer, table: shop.customers }
`;
}

let permissionFiles = 0;

function filesSection(permissions: unknown[], resourceTags: string, extra = ''): string {
  permissionFiles += 1;
  return `${extra}  files:
    permissions: ${write(`permissions-${permissionFiles}.json`, { PrincipalResourcePermissions: permissions })}
    resourceTags: ${resourceTags}`;
}

const ordersOnly = write('tags-orders.json', [tagged('orders')]);

test('a served table a tag-policy grant could reach without a tag export is a warning naming it, with file, line and path', () => {
  const file = write('untagged.yaml', configYaml(filesSection([tagPolicy(MARKETING), tableGrant(ACCOUNT)], ordersOnly, `  catalogId: "${ACCOUNT}"\n`)));
  const result = loadConfig(path.join(dir, file));
  assert.deepEqual(result.issues, []);
  const warnings = result.value!.warnings;
  assert.equal(warnings.length, 1, 'shop.returns is not served, shop.orders is tagged: only shop.customers');
  assert.equal(warnings[0]!.file, path.join(dir, file));
  assert.equal(warnings[0]!.path, 'lakeFormation.files.resourceTags');
  assert.equal(warnings[0]!.line, 7);
  assert.equal(warnings[0]!.message,
    `shop.customers has no get-resource-lf-tags export, so no LF-Tag policy can reach it, yet 1 tag-policy grant(s) on tables might (${MARKETING} on domain=shop): add its tags here`);
  assert.match(formatIssue(warnings[0]!), /untagged\.yaml:7: lakeFormation\.files\.resourceTags: shop\.customers has no get-resource-lf-tags export/);
});

test('with strict: true the same table is an error and nothing loads', () => {
  const file = write('strict.yaml', configYaml(filesSection([tagPolicy(MARKETING)], ordersOnly, '  strict: true\n')));
  const result = loadConfig(path.join(dir, file));
  assert.equal(result.value, null);
  assert.deepEqual(result.issues.map((issue) => [path.basename(issue.file!), issue.path, issue.line]), [['strict.yaml', 'lakeFormation.files.resourceTags', 7]]);
  assert.match(result.issues[0]!.message, /^shop\.customers has no get-resource-lf-tags export/);
});

test('no warning without a tag-policy grant on tables of the served catalog, or when every served table is tagged', () => {
  const databasePolicy = { ...tagPolicy(MARKETING), Resource: { LFTagPolicy: { CatalogId: ACCOUNT, ResourceType: 'DATABASE', Expression: [{ TagKey: 'domain', TagValues: ['shop'] }] } } };
  const cases: [string, unknown[], string][] = [
    ['no tag policy', [tableGrant(ACCOUNT)], ordersOnly],
    ['a DATABASE tag policy', [databasePolicy, tableGrant(ACCOUNT)], ordersOnly],
    ['another catalog\'s tag policy', [tagPolicy(MARKETING, OTHER), tableGrant(ACCOUNT)], ordersOnly],
    ['every served table tagged', [tagPolicy(MARKETING)], write('tags-both.json', [tagged('orders'), tagged('customers')])],
  ];
  for (const [label, permissions, tags] of cases) {
    const result = loadConfig(path.join(dir, write(`quiet-${label.replace(/\W/g, '-')}.yaml`, configYaml(filesSection(permissions, tags, `  catalogId: "${ACCOUNT}"\n`)))));
    assert.deepEqual(result.issues, [], label);
    assert.deepEqual(result.value!.warnings, [], label);
  }
});

test('tags exported for the table in another catalog do not count as its export', () => {
  const foreign = write('tags-foreign.json', [tagged('orders'), tagged('customers', OTHER)]);
  const result = loadConfig(path.join(dir, write('foreign-tags.yaml', configYaml(filesSection([tagPolicy(MARKETING)], foreign, `  catalogId: "${ACCOUNT}"\n`)))));
  assert.deepEqual(result.issues, []);
  assert.deepEqual(result.value!.warnings.map((warning) => warning.message.split(' ')[0]), ['shop.customers']);
});

test('catalogId left out: the one catalog the exports name is used, and grants in it apply', () => {
  const tags = write('tags-both-again.json', [tagged('orders'), tagged('customers')]);
  const result = loadConfig(path.join(dir, write('derived.yaml', configYaml(filesSection([tagPolicy(MARKETING), tableGrant()], tags)))));
  assert.deepEqual(result.issues, []);
  const loaded = result.value!;
  assert.equal(loaded.config.lakeFormation?.catalogId, ACCOUNT);
  const store = createPolicyStore(loaded.catalog, loaded.config.lakeFormation!.catalogId);
  assert.deepEqual(store.update(loaded.lakeFormation!), []);
  assert.deepEqual(store.entitlementFor([MARKETING]).catalog.datasets.map((dataset) => dataset.name).sort(), ['customers', 'orders']);
  assert.deepEqual(store.entitlementFor([ANALYST]).catalog.datasets.map((dataset) => dataset.name), ['orders']);
});

test('catalogId left out while the exports name several catalogs: an issue listing each with the exports naming it', () => {
  const tags = write('tags-mixed.json', [tagged('orders'), tagged('customers', OTHER)]);
  const result = loadConfig(path.join(dir, write('several.yaml', configYaml(filesSection([tagPolicy(MARKETING), tableGrant(OTHER)], tags)))));
  assert.equal(result.value, null);
  // The key is absent: the line is the section's first.
  assert.deepEqual(result.issues.map((issue) => [path.basename(issue.file!), issue.path, issue.line]), [['several.yaml', 'lakeFormation.catalogId', 4]]);
  assert.equal(result.issues[0]!.message,
    `the exports name several Data Catalogs, ${ACCOUNT} (list-permissions, resource tags); ${OTHER} (list-permissions, resource tags): `
    + 'set catalogId to the one Lakegate serves (grants on the others are ignored)');
});

test('catalogId left out while no export names a catalog: an issue saying to set it', () => {
  const bare = write('tags-bare.json', [{ Table: { DatabaseName: 'shop', Name: 'orders' }, LFTagsOnTable: [{ TagKey: 'domain', TagValues: ['shop'] }] }]);
  const result = loadConfig(path.join(dir, write('none.yaml', configYaml(filesSection([tableGrant()], bare)))));
  assert.equal(result.value, null);
  assert.deepEqual(result.issues.map((issue) => issue.path), ['lakeFormation.catalogId']);
  assert.match(result.issues[0]!.message, /^the exports name no Data Catalog \(no CatalogId in them\): set catalogId/);
});

test('a configured catalogId the exports never name, while naming another, is refused', () => {
  const result = loadConfig(path.join(dir, write('elsewhere.yaml', configYaml(filesSection([tableGrant(OTHER)], '[]', `  catalogId: "${ACCOUNT}"\n`)))));
  assert.equal(result.value, null);
  assert.deepEqual(result.issues.map((issue) => [issue.path, issue.line]), [['lakeFormation.catalogId', 4]]);
  assert.match(result.issues[0]!.message, new RegExp(`^the exports name only ${OTHER} \\(list-permissions\\), not catalogId ${ACCOUNT}`));
});

test('live mode still needs catalogId, and says so', () => {
  const result = loadConfig(path.join(dir, write('live.yaml', configYaml('  live: { region: eu-west-1 }'))));
  assert.equal(result.value, null);
  assert.deepEqual(result.issues.map((issue) => [path.basename(issue.file!), issue.path]), [['live.yaml', 'lakeFormation.catalogId']]);
  assert.match(result.issues[0]!.message, /^live mode needs catalogId/);
  const ok = loadConfig(path.join(dir, write('live-ok.yaml', configYaml(`  catalogId: "${ACCOUNT}"\n  live: { region: eu-west-1 }`))));
  assert.deepEqual(ok.issues, []);
  assert.equal(ok.value!.config.lakeFormation?.catalogId, ACCOUNT);
  assert.equal(ok.value!.lakeFormation, null);
});

test('resourceTags: a malformed entry is reported at its own path, not as "Invalid input"', () => {
  const result = loadConfig(path.join(dir, write('bad-entry.yaml', configYaml(filesSection([], '[{ table: shop.orders }, { table: orders, file: x.json }, 7]', `  catalogId: "${ACCOUNT}"\n`)))));
  assert.equal(result.value, null);
  assert.deepEqual(result.issues.map((issue) => `${issue.path}: ${issue.message}`), [
    'lakeFormation.files.resourceTags[0].file: Required',
    'lakeFormation.files.resourceTags[1].table: must be "database.table"',
    'lakeFormation.files.resourceTags[2]: Expected object, received number',
  ]);
});
