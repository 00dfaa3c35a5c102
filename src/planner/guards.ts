import { EngineError } from '../datasources/errors';
import type { CachePolicy, Engine, QueryResult, QueryStats } from '../datasources/types';
import type { BudgetStanding, BytesBudget } from '../limits/bytes-budget';
import type { CallerSlots } from '../limits/caller-slots';
import { LakegateError } from '../query/errors';
import type { PlannerContext } from './context';
import type { StillRunning } from './long-queries/types';

/** The limits one caller's engine queries run under; the server builds them from the configuration. */
export interface CallerGuards {
  /** Engine queries running at once per caller; null: unlimited. */
  readonly slots: Pick<CallerSlots, 'take' | 'settings'> | null;
  /** Bytes scanned per caller per UTC day, on engines that report them (Athena); null: no budget. */
  readonly budget: Pick<BytesBudget, 'standing' | 'charge'> | null;
}

type Outcome = QueryResult | StillRunning;

/** Seconds a caller refused a slot is told to wait: a slot frees as soon as one of its queries ends. */
const SLOT_RETRY_AFTER_SECONDS = 1;

/**
 * Runs one engine call of the caller under its limits. An answer that starts no engine query —
 * cached, or shared with an identical query in flight — is served first: free, and without
 * waiting for anything. Otherwise a query would start: a caller over its bytes budget is refused
 * (on an engine that reports bytes), then the query takes one of the caller's slots (waiting up
 * to `maxQueueMs` for one), runs, and what it scanned is charged to the caller's day. The slot
 * is released however the query ends.
 */
export async function runGuarded<T extends Outcome>(
  engine: Engine,
  path: string,
  cache: CachePolicy | undefined,
  context: PlannerContext,
  run: (cache: CachePolicy | undefined) => Promise<T>,
): Promise<T> {
  const budget = engine.capabilities.reportsBytesScanned ? context.guards?.budget ?? null : null;
  const slots = context.guards?.slots ?? null;
  if (!budget && !slots) return run(cache);
  const subject = context.caller.subject;
  const free = cache ? await withoutStarting(run, cache) : undefined;
  if (free) return charged(free, budget, subject);
  if (budget) refuseOverBudget(await budget.standing(subject), path);
  const release = slots ? await takeSlot(slots, path, context) : null;
  try {
    return await charged(await run(cache), budget, subject);
  } finally {
    release?.();
  }
}

/** A stream's hold on the caller's limits: released when the stream ends, charged what it scanned. */
export interface StreamGuard {
  release(): void;
  charge(bytesScanned: number | null): Promise<void>;
}

/**
 * The caller's limits for a stream (an export), which is never cached: refused when over the
 * bytes budget (on an engine that reports bytes), then one of the caller's slots for as long as
 * the stream lasts; what it scanned is charged to the caller's day once known.
 */
export async function guardStream(engine: Engine, path: string, context: PlannerContext): Promise<StreamGuard> {
  const budget = engine.capabilities.reportsBytesScanned ? context.guards?.budget ?? null : null;
  const slots = context.guards?.slots ?? null;
  const subject = context.caller.subject;
  if (budget) refuseOverBudget(await budget.standing(subject), path);
  const release = slots ? await takeSlot(slots, path, context) : () => undefined;
  return {
    release,
    charge: async (bytes) => {
      if (budget && bytes && bytes > 0) await budget.charge(subject, bytes).catch(() => undefined);
    },
  };
}

/** One of the caller's slots (its release), waiting up to `maxQueueMs` for one; refused past that. */
async function takeSlot(slots: NonNullable<CallerGuards['slots']>, path: string, context: PlannerContext): Promise<() => void> {
  const grant = await slots.take(context.caller.subject, { signal: context.signal, waitMs: context.limits.maxQueueMs });
  if (grant.taken) return grant.release;
  throw slotRefusal(grant.reason, path, slots.settings.perCaller, context.limits.maxQueueMs);
}

/** The call answered from the cache (or an identical query in flight); undefined when it would have to start a query. */
async function withoutStarting<T extends Outcome>(run: (cache: CachePolicy) => Promise<T>, cache: CachePolicy): Promise<T | undefined> {
  try {
    return await run({ ...cache, cachedOnly: true });
  } catch (error) {
    if (error instanceof EngineError && error.code === 'NOT_CACHED') return undefined;
    throw error;
  }
}

/**
 * Charges what an engine query scanned to the caller's day; an answer the cache produced without
 * one (hit, stale, shared) costs nothing. Counting never fails the request that paid.
 */
async function charged<T extends Outcome>(outcome: T, budget: CallerGuards['budget'], subject: string): Promise<T> {
  if (!budget || !('stats' in outcome) || !producedByEngine(outcome.stats)) return outcome;
  const bytes = outcome.stats.bytesScanned ?? 0;
  if (bytes > 0) await budget.charge(subject, bytes).catch(() => undefined);
  return outcome;
}

function producedByEngine(stats: QueryStats): boolean {
  return stats.cache === undefined || stats.cache === 'miss';
}

function refuseOverBudget(standing: BudgetStanding, path: string): void {
  if (standing.spentBytes < standing.budgetBytes) return;
  const resetsAt = standing.resetsAt.toISOString();
  throw new LakegateError(
    'LIMIT_EXCEEDED',
    `${path}: this caller's Athena queries scanned ${formatBytes(standing.spentBytes)} today, its budget of ${formatBytes(standing.budgetBytes)} `
      + `per UTC day (budgets.athenaBytesPerDay): no new Athena query starts until it resets at ${resetsAt}; answers in the result cache are still served`,
    { limit: 'athenaBytesPerDay', max: standing.budgetBytes, budgetBytes: standing.budgetBytes, spentBytes: standing.spentBytes, resetsAt },
  );
}

function slotRefusal(reason: 'busy' | 'aborted', path: string, perCaller: number, maxQueueMs: number): LakegateError {
  if (reason === 'aborted') return new LakegateError('QUERY_FAILED', `${path}: the request was cancelled while it waited for a query slot`);
  return new LakegateError(
    'RATE_LIMITED',
    `${path}: this caller already has ${perCaller} engine queries running (limits.concurrentQueriesPerCaller); `
      + `this one waited ${(maxQueueMs / 1000).toFixed(1)} s (limits.maxQueueMs) for one of them to end and was not started`,
    { limit: 'concurrentQueriesPerCaller', max: perCaller, retryAfterSeconds: SLOT_RETRY_AFTER_SECONDS },
  );
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** `1.5 GB` (binary multiples, as the configuration reads sizes). */
function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
