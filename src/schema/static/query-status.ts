import { Arg, Ctx, Field, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { Engine } from '../../datasources/types';
import type { LongQueries } from '../../planner/long-queries/run';
import { queryStatus, type QueryStatusState } from '../../planner/long-queries/status';
import { DateTimeScalar } from '../scalars';

enum QueryState {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  STOPPED = 'STOPPED',
}

registerEnumType(QueryState, {
  name: 'QueryState',
  description: 'Where a long-running engine query stands.',
  valuesConfig: {
    RUNNING: { description: 'Still running: repeat the request or ask again within the grace period, or it is stopped.' },
    SUCCEEDED: { description: 'Finished: repeat the request to read the result (it is not run again, unless the result was already delivered).' },
    FAILED: { description: 'The engine failed or cancelled it; `message` says why.' },
    STOPPED: { description: 'Stopped because nobody asked for it within the grace period.' },
  },
});

@ObjectType({ description: 'A long-running engine query picked up by the handle a QUERY_RUNNING error gave.' })
export class QueryStatus {
  @Field({ description: 'The handle asked about.' })
  handle!: string;

  @Field(() => QueryState)
  state!: QueryStatusState;

  @Field({ description: 'The engine running it (`athena`, `redshift`).' })
  engine!: string;

  @Field({ description: "The engine's own query id (Athena QueryExecutionId, Redshift statement Id)." })
  queryId!: string;

  @Field(() => DateTimeScalar, { description: 'When the engine query was started.' })
  startedAt!: string;

  @Field({ description: 'What to do next, or why it failed.' })
  message!: string;
}

export interface QueryStatusContext {
  /** The caller's entitlement fingerprint: only the same access may look at a handle. */
  readonly entitlement: string;
  readonly engines: ReadonlyMap<string, Engine>;
  readonly longQueries: LongQueries | null;
}

@Resolver()
export class QueryStatusResolver {
  @Query(() => QueryStatus, {
    description: 'The state of a long-running query, by the handle its QUERY_RUNNING error carried. Asking keeps it alive; a handle that is unknown, expired or issued to a caller with other permissions is a BAD_USER_INPUT error.',
  })
  queryStatus(@Arg('handle', { description: '`extensions.handle` of the QUERY_RUNNING error.' }) handle: string, @Ctx() context: QueryStatusContext): Promise<QueryStatus> {
    return queryStatus(handle, context, context.longQueries);
  }
}
