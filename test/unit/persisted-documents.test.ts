import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'graphql';
import { buildPersistedDocuments, documentHash, loadPersistedDocuments } from '../../src/config/persisted-documents';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lakegate-manifest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('one entry per operation, with the fragments it uses (transitively) and no others', () => {
  const manifest = buildPersistedDocuments([
    parse('query A { customers { ...C } } query B { customers { name } }'),
    parse('fragment C on Customer { name ...D } fragment D on Customer { country } fragment Unused on Customer { segment }'),
  ]);
  const texts = Object.values(manifest);
  assert.equal(texts.length, 2);
  const a = texts.find((text) => text.startsWith('query A'))!;
  assert.match(a, /fragment C on Customer/);
  assert.match(a, /fragment D on Customer/);
  assert.doesNotMatch(a, /Unused/);
  for (const [hash, text] of Object.entries(manifest)) assert.equal(hash, documentHash(text));
});

test('the manifest is read only in allowlist mode, and checked entry by entry', () => {
  const write = (name: string, content: string): string => {
    writeFileSync(path.join(dir, name), content);
    return name;
  };
  const text = 'query A {\n  a\n}';
  assert.deepEqual(loadPersistedDocuments({ mode: 'apq', manifest: 'anything.json' }, dir), { value: null, issues: [] });
  const good = loadPersistedDocuments({ mode: 'allowlist', manifest: write('good.json', JSON.stringify({ [documentHash(text)]: text })) }, dir);
  assert.deepEqual([...good.value!.entries()], [[documentHash(text), text]]);

  const issue = (manifest: string): string => loadPersistedDocuments({ mode: 'allowlist', manifest }, dir).issues.map((each) => `${each.path}: ${each.message}`).join('\n');
  assert.match(issue('absent.json'), new RegExp(`^persistedQueries.manifest: file not found: ${path.join(dir, 'absent.json')}`));
  assert.match(issue(write('broken.json', '{')), /^persistedQueries.manifest: cannot read .*broken\.json/);
  assert.match(issue(write('list.json', '[]')), /must be a JSON object of sha256 → document/);
  assert.match(issue(write('empty.json', '{}')), /lists no documents/);
  assert.match(issue(write('wrong.json', JSON.stringify({ [documentHash('other')]: text, abc: 42 }))), /is not the sha256 of its document[\s\S]*abc: must be a document/);
});
