import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load';
import type { RedshiftEngineConfig } from '../config/schema';
import { createAthenaEngine } from '../datasources/athena/engine';
import { createLocalEngine } from '../datasources/local/engine';
import { createRedshiftDataEngine } from '../datasources/redshift-data/engine';
import { createRedshiftPgEngine } from '../datasources/redshift-pg/engine';
import type { Engine } from '../datasources/types';
import type { RoutingRules } from '../router/route';
import { dialectNamed, withSchemas } from '../sql/dialects';
import type { Dialect } from '../sql/types';

export interface EngineClients {
  readonly athena?: AthenaClient;
  readonly redshiftData?: RedshiftDataClient;
}

export interface EngineSet {
  readonly engines: ReadonlyMap<string, Engine>;
  /** The SQL dialect each engine is compiled for, with its table naming (Redshift schemas). */
  readonly dialects: ReadonlyMap<string, Dialect>;
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
  if (settings.redshift) engines.set('redshift', decorate(createRedshiftEngine(settings.redshift, logger, clients)));
  const adHoc = routing.adHoc ?? (engines.has('athena') ? 'athena' : engines.has('local') ? 'local' : [...engines.keys()][0]!);
  const sla = routing.sla ?? (engines.has('redshift') ? 'redshift' : adHoc);
  const schemas = (name: string): Readonly<Record<string, string>> => (name === 'redshift' ? settings.redshift?.schemas ?? {} : {});
  const dialects = new Map([...engines].map(([name, engine]) => [name, withSchemas(dialectNamed(engine.dialect), schemas(name))]));
  return { engines, dialects, routing: { adHoc, sla, fallbacks: routing.fallbacks } };
}

function createRedshiftEngine(settings: RedshiftEngineConfig, logger: Logger, clients: EngineClients): Engine {
  const engineLogger = logger.child({ engine: 'redshift' });
  if (settings.mode === 'pg') {
    return createRedshiftPgEngine({ pool: { connectionString: settings.connectionString, max: settings.maxConnections }, logger: engineLogger });
  }
  return createRedshiftDataEngine({
    client: clients.redshiftData ?? new RedshiftDataClient({ region: settings.region, ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) }),
    database: settings.database,
    target: settings.clusterIdentifier ? { clusterIdentifier: settings.clusterIdentifier } : { workgroupName: settings.workgroupName! },
    ...(settings.secretArn ? { auth: { secretArn: settings.secretArn } } : settings.dbUser ? { auth: { dbUser: settings.dbUser } } : {}),
    logger: engineLogger,
  });
}
