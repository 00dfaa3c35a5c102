/**
 * Remembers a pure computation per pair of objects when the first is frozen, weakly held. A
 * prepared operation hands its resolvers the same frozen arguments on every request, so what the
 * planner derives from them — the plan, the plan under a caller's view, its SQL for a dialect —
 * is frozen in turn and computed once per (operation, view, dialect) instead of per request.
 * Objects built for one request are not frozen and pass straight through, remembering nothing.
 */
export class FrozenMemo<A extends object, B extends object, R extends object> {
  private readonly byFirst = new WeakMap<A, WeakMap<B, R>>();

  get(first: A, second: B, compute: () => R): R {
    if (!Object.isFrozen(first)) return compute();
    let bySecond = this.byFirst.get(first);
    if (!bySecond) this.byFirst.set(first, (bySecond = new WeakMap()));
    let remembered = bySecond.get(second);
    if (!remembered) bySecond.set(second, (remembered = Object.freeze(compute())));
    return remembered;
  }
}
