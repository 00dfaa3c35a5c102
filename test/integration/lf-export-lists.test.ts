import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import pino from 'pino';
import { parseDocument } from 'yaml';
import { startConfiguredApp, startTestApp, type ConfiguredApp, type TestApp } from '../support/app';
import { createTestLake, type TestLake } from '../support/lake';

/**
 * The sample lake's Lake Formation exports rewritten as users often have them: every table's
 * `get-resource-lf-tags` output in one list file, each naming its table, and no `catalogId` in
 * lakegate.yaml (the exports name it). Callers read exactly what they read with the original
 * exports; a table left out of the list is a warning (an error with `strict`).
 */

const CLI = path.resolve(__dirname, '../../src/cli.js');
const run = promisify(execFile);
const ACCOUNT = '111122223333';
const LIST_FILE = 'lakeformation/resource-tags.json';
const PARTIAL_LIST_FILE = 'lakeformation/resource-tags-partial.json';

let lake: TestLake;
let original: TestApp;
let rewritten: ConfiguredApp;

/** Each `{ table, file }` entry's output with the table it was asked about, in `Table`. */
function listOfOutputs(lakeDir: string, entries: readonly { table: string; file: string }[]): unknown[] {
  return entries.map((entry) => {
    const [database, table] = entry.table.split('.');
    const output = JSON.parse(readFileSync(path.join(lakeDir, entry.file), 'utf8')) as object;
    return { Table: { CatalogId: ACCOUNT, DatabaseName: database, Name: table }, ...output };
  });
}

/** lakegate.yaml without catalogId, its resourceTags one list file; written beside the original. */
function writeListConfig(name: string, listFile: string, strict = false): string {
  const document = parseDocument(readFileSync(lake.configFile, 'utf8'));
  document.deleteIn(['lakeFormation', 'catalogId']);
  document.setIn(['lakeFormation', 'files', 'resourceTags'], listFile);
  if (strict) document.setIn(['lakeFormation', 'strict'], true);
  const file = path.join(lake.dir, name);
  writeFileSync(file, document.toString());
  return file;
}

before(async () => {
  lake = await createTestLake(500);
  const entries = parseDocument(readFileSync(lake.configFile, 'utf8')).toJS().lakeFormation.files.resourceTags as { table: string; file: string }[];
  assert.ok(entries.some((entry) => entry.table === 'sales.customers'), 'the sample exports tags per table');
  const outputs = listOfOutputs(lake.dir, entries);
  writeFileSync(path.join(lake.dir, LIST_FILE), `${JSON.stringify(outputs, null, 4)}\n`);
  writeFileSync(path.join(lake.dir, PARTIAL_LIST_FILE), `${JSON.stringify(outputs.filter((_, index) => entries[index]!.table !== 'sales.customers'), null, 4)}\n`);
  original = await startTestApp({ lake });
  rewritten = await startConfiguredApp(writeListConfig('lakegate-list.yaml', LIST_FILE));
});
after(async () => {
  await rewritten?.close();
  await original?.close();
  lake?.remove();
});

const MARKETING_READS = [
  '{ catalog { datasets { name readable } } }',
  '{ __type(name: "Customer") { fields { name } } }',
  '{ customers(limit: 10000, orderBy: [{ customerId: ASC }]) { customerId country segment createdAt } }',
  '{ transactions(limit: 10000, orderBy: [{ transactionId: ASC }]) { transactionId amount currency customer { country } } }',
];

test('the list form without catalogId loads the same tags, the catalog taken from the exports, with no warning', () => {
  assert.equal(rewritten.loaded.config.lakeFormation?.catalogId, ACCOUNT);
  assert.deepEqual(rewritten.loaded.warnings, []);
  const tags = rewritten.loaded.lakeFormation!.tableTags;
  assert.ok(tags.every((entry) => entry.CatalogId === ACCOUNT), 'each output keeps the catalog its Table names');
  assert.deepEqual(tags.map(({ CatalogId: _catalog, ...rest }) => rest), original.loaded.lakeFormation!.tableTags);
});

test('marketing, whose access comes from LF-Tags, reads the same columns and rows as with the original exports', async () => {
  for (const query of MARKETING_READS) {
    const [before, after] = await Promise.all([original.graphql(query, {}, 'marketing'), rewritten.graphql(query, {}, 'marketing')]);
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.equal(before.body.errors, undefined, JSON.stringify(before.body.errors));
    assert.deepEqual(after.body.data, before.body.data, query);
  }
  const customers = await rewritten.graphql(MARKETING_READS[2]!, {}, 'marketing');
  assert.ok(customers.body.data.customers.length > 0, 'marketing reads customers through its tag policy');
  const type = await rewritten.graphql(MARKETING_READS[1]!, {}, 'marketing');
  const fields = (type.body.data.__type.fields as { name: string }[]).map((field) => field.name);
  assert.ok(!fields.includes('email') && !fields.includes('name'), 'columns tagged pii stay out');
});

test('a table left out of the list: check-config and the server warn, naming it; with strict: true nothing starts', async () => {
  const partial = writeListConfig('lakegate-partial.yaml', PARTIAL_LIST_FILE);
  const checked = await run(process.execPath, [CLI, 'check-config', '--config', partial]);
  assert.match(checked.stderr, /warning: .*lakegate-partial\.yaml:\d+: lakeFormation\.files\.resourceTags: sales\.customers has no get-resource-lf-tags export/);
  assert.match(checked.stderr, /: ok \(/);

  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const app = await startConfiguredApp(partial, { logger });
  try {
    const warning = lines.map((line) => JSON.parse(line) as { level: number; msg: string; path?: string }).find((entry) => /^sales\.customers /.test(entry.msg));
    assert.equal(warning?.level, 40);
    assert.equal(warning?.path, 'lakeFormation.files.resourceTags');
    const { body } = await app.graphql(MARKETING_READS[0]!, {}, 'marketing');
    assert.ok(!body.data.catalog.datasets.some((dataset: { name: string }) => dataset.name === 'customers'), 'without its tags, no tag policy reaches sales.customers');
  } finally {
    await app.close();
  }

  const strict = writeListConfig('lakegate-strict.yaml', PARTIAL_LIST_FILE, true);
  const failure = await run(process.execPath, [CLI, 'check-config', '--config', strict]).then(() => null, (error: { code: number; stderr: string }) => error);
  assert.equal(failure?.code, 1);
  assert.match(failure!.stderr, /lakegate-strict\.yaml:\d+: lakeFormation\.files\.resourceTags: sales\.customers has no get-resource-lf-tags export/);
});
