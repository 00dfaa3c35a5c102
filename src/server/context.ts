import type { Principal } from '../auth/types';
import type { PlannerContext } from '../planner/context';
import type { CatalogContext } from '../schema/static/catalog-resolver';

/** Everything a resolver may use for one request. */
export interface RequestContext extends PlannerContext, CatalogContext {
  readonly requestId: string;
  readonly principal: Principal;
}
