import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { routeQuery, type RoutedDataset, type RoutingRules } from '../../src/router/route';

const rules: RoutingRules = { adHoc: 'athena', sla: 'redshift', fallbacks: { redshift: 'athena', athena: 'local' } };
const all = new Set(['athena', 'redshift', 'local']);
const dataset = (partial: Partial<RoutedDataset>): RoutedDataset => ({ name: 'transactions', engines: ['athena', 'redshift'], slaBound: false, preferredEngine: null, ...partial });

const cases: [string, RoutedDataset, ReadonlySet<string>, { engine: string; reason: string } | null][] = [
  ['ad-hoc reads go to Athena', dataset({}), all, { engine: 'athena', reason: 'ad-hoc read → athena' }],
  ['SLA-bound reads go to Redshift', dataset({ slaBound: true }), all, { engine: 'redshift', reason: 'SLA-bound read → redshift' }],
  ['the curation rule wins for a dataset on both engines', dataset({ preferredEngine: 'redshift' }), all, { engine: 'redshift', reason: 'the curation file routes transactions to redshift' }],
  ['a dataset only on one engine goes there', dataset({ engines: ['redshift'] }), all, { engine: 'redshift', reason: 'ad-hoc read; transactions is only on redshift' }],
  ['the declared fallback serves when Redshift is down', dataset({ slaBound: true }), new Set(['athena']), { engine: 'athena', reason: 'SLA-bound read → redshift; redshift unavailable, fell back to athena' }],
  ['fallbacks chain', dataset({ slaBound: true, engines: ['athena', 'redshift', 'local'] }), new Set(['local']), { engine: 'local', reason: 'SLA-bound read → redshift; redshift, athena unavailable, fell back to local' }],
  ['no available engine holding the dataset: no route', dataset({}), new Set(['local']), null],
];

for (const [name, input, available, expected] of cases) {
  test(name, () => assert.deepEqual(routeQuery(input, rules, available), expected));
}

test('a route always names an available engine that holds the dataset, and terminates on cyclic fallbacks', () => {
  const engine = fc.constantFrom<string>('athena', 'redshift', 'local');
  fc.assert(fc.property(
    fc.uniqueArray(engine, { minLength: 1 }), fc.boolean(), fc.option(engine, { nil: null }), fc.uniqueArray(engine),
    fc.dictionary(engine, engine),
    (engines, slaBound, preferredEngine, availableList, fallbacks) => {
      const route = routeQuery({ name: 'd', engines, slaBound, preferredEngine }, { adHoc: 'athena', sla: 'redshift', fallbacks }, new Set(availableList));
      if (route) {
        assert.ok(engines.includes(route.engine));
        assert.ok(availableList.includes(route.engine));
      }
    },
  ), { numRuns: 500 });
});
