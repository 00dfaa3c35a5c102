import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load';
import { createAthenaEngine } from '../datasources/athena/engine';
import { createLocalEngine } from '../datasources/local/engine';
import type { Engine } from '../datasources/types';
import type { RoutingRules } from '../router/route';

export interface EngineClients {
  readonly athena?: AthenaClient;
}

export interface EngineSet {
  readonly engines: ReadonlyMap<string, Engine>;
  readonly routing: RoutingRules;
}

/** Builds the configured engines (each wrapped by `decorate`) and the routing rules over them. */
export async function createEngines(loaded: LoadedConfig, logger: Logger, decorate: (engine: Engine) => Engine, clients: EngineClients = {}): Promise<EngineSet> {
  const { engines: settings, routing } = loaded.config;
  const engines = new Map<string, Engine>();
  if (settings.local) {
    const local = settings.local;
    engines.set('local', decorate(await createLocalEngine({
      tables: loaded.catalog.tables,
      lakePath: path.resolve(loaded.dir, local.lakePath),
      s3Prefix: local.s3Prefix,
      ...(local.threads ? { threads: local.threads } : {}),
      ...(local.memoryLimit ? { memoryLimit: local.memoryLimit } : {}),
    })));
  }
  if (settings.athena) {
    const athena = settings.athena;
    engines.set('athena', decorate(createAthenaEngine({
      client: clients.athena ?? new AthenaClient({ region: athena.region, ...(athena.endpoint ? { endpoint: athena.endpoint } : {}) }),
      workGroup: athena.workGroup,
      catalog: athena.catalog,
      database: 'default',
      ...(athena.outputLocation ? { outputLocation: athena.outputLocation } : {}),
      ...(athena.resultReuseMinutes ? { resultReuseMinutes: athena.resultReuseMinutes } : {}),
      logger: logger.child({ engine: 'athena' }),
    })));
  }
  const adHoc = routing.adHoc ?? (engines.has('athena') ? 'athena' : engines.has('local') ? 'local' : [...engines.keys()][0]!);
  const sla = routing.sla ?? (engines.has('redshift') ? 'redshift' : adHoc);
  return { engines, routing: { adHoc, sla, fallbacks: routing.fallbacks } };
}
