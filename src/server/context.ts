import type { Principal } from '../auth/types';
import type { PlannerContext } from '../planner/context';
import type { CatalogContext } from '../schema/static/catalog-resolver';
import type { QueryStatusContext } from '../schema/static/query-status';
import type { CostReport } from './limits/cost';

/** Everything a resolver may use for one request. */
export interface RequestContext extends PlannerContext, CatalogContext, QueryStatusContext {
  readonly requestId: string;
  readonly principal: Principal;
  /** Set by the limits plugin once the operation passed them; reported in `extensions.lakegate.cost`. */
  cost: CostReport | null;
}
