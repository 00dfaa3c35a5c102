/**
 * Which engines are usable now. An engine that failed as unavailable is left out for a cool-down,
 * so the router sends reads to the declared fallback instead of waiting on it every time.
 */
export class EngineAvailability {
  private readonly downUntil = new Map<string, number>();

  constructor(private readonly coolDownMs = 30_000, private readonly now: () => number = Date.now) {}

  markDown(engine: string): void {
    this.downUntil.set(engine, this.now() + this.coolDownMs);
  }

  available(engines: Iterable<string>): Set<string> {
    const now = this.now();
    return new Set([...engines].filter((engine) => (this.downUntil.get(engine) ?? 0) <= now));
  }
}
