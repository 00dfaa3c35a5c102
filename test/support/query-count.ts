import { forwardingEngine } from '../../src/datasources/forwarding';
import type { Engine } from '../../src/datasources/types';

/** Counts the engine queries an app starts: `decorate` its engines (startTestApp's decorateEngine) and read `count`. */
export class EngineQueryCount {
  count = 0;

  readonly decorate = (engine: Engine): Engine => forwardingEngine(engine, (inner, query, options) => {
    this.count += 1;
    return inner.execute(query, options);
  });
}
