import { coerceInputValue } from 'graphql';
import type { CoerceWhere } from '../catalog/kpis';
import type { Issue } from '../catalog/types';
import { buildDatasetInputs } from './generated/inputs';

/**
 * A `where` written in the curation file (a KPI measure's filter), checked and coerced exactly as
 * the same object passed as a variable to `<dataset>(where:)` would be: same fields, operators and
 * scalar parsing, so values reach the planner in the API's canonical form.
 */
export const coerceWhere: CoerceWhere = (dataset, where) => {
  const errors: Issue[] = [];
  const value = coerceInputValue(where, buildDatasetInputs(dataset).filter, (path, _invalid, error) => {
    errors.push({ path: path.join('.'), message: error.message });
  }) as Readonly<Record<string, unknown>>;
  return errors.length > 0 ? { errors } : { value };
};
