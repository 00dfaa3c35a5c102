import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/types';
import { buildLakeSchema } from '../schema/build';
import type { RequestContext } from './context';
import { createErrorFormatter } from './errors';
import { limitsPlugin, operationJudge } from './limits/plugin';
import type { DocumentLimits } from './limits/violation';
import type { PersistedQuerySetup } from './persisted-queries';
import { queryStatsPlugin, requestLogPlugin } from './plugins';
import { PreparedOperations } from './prepared/operations';
import { refusalsPlugin } from './refusals';

/**
 * One Apollo Server per distinct entitlement (same readable datasets and columns → same
 * schema), built on first use and kept in a bounded cache. A caller's schema holds only what
 * it may read, so introspection, validation and "did you mean" never reveal the rest.
 */
export interface SchemaServer {
  readonly apollo: ApolloServer<RequestContext>;
  /** The same schema, for this entitlement's subscriptions. */
  readonly schema: GraphQLSchema;
  /** The short road for the documents it can answer without Apollo. */
  readonly prepared: PreparedOperations;
}

export class SchemaServers {
  private readonly cache = new LRUCache<string, Promise<SchemaServer>>({
    max: 100,
    // Only an evicted server is stopped here; stop() stops the rest itself.
    dispose: (server, _key, reason) => {
      if (reason === 'evict') void server.then(({ apollo }) => apollo.stop()).catch(() => undefined);
    },
  });

  /** `plugins` run in every schema's server, after the built-in ones (observability). */
  constructor(
    private readonly logger: Logger,
    private readonly limits: DocumentLimits,
    private readonly persisted: PersistedQuerySetup,
    private readonly plugins: readonly ApolloServerPlugin<RequestContext>[] = [],
  ) {}

  async schemaFor(key: string, catalog: Catalog): Promise<GraphQLSchema> {
    return (await this.serverFor(key, catalog)).schema;
  }

  /** The server of this entitlement's schema (Apollo started). */
  serverFor(key: string, catalog: Catalog): Promise<SchemaServer> {
    let server = this.cache.get(key);
    if (!server) {
      server = this.create(catalog);
      this.cache.set(key, server);
      server.catch(() => this.cache.delete(key));
    }
    return server;
  }

  private async create(catalog: Catalog): Promise<SchemaServer> {
    const schema = await buildLakeSchema(catalog);
    const formatError = createErrorFormatter(this.logger);
    const judge = operationJudge(this.limits);
    const apollo = new ApolloServer<RequestContext>({
      schema,
      includeStacktraceInErrorResponses: false,
      stopOnTerminationSignals: false,
      formatError,
      persistedQueries: this.persisted.persistedQueries,
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        // No HTTP cache hints: it would wrap every field resolver for headers we never send.
        ApolloServerPluginCacheControlDisabled(),
        refusalsPlugin(),
        ...this.persisted.plugins,
        limitsPlugin(this.limits, judge),
        queryStatsPlugin(),
        requestLogPlugin(this.logger),
        ...this.plugins,
      ],
    });
    await apollo.start();
    const prepared = new PreparedOperations({ schema, limits: this.limits, judge, formatError, admitsDocument: this.persisted.admitsDocument });
    return { apollo, schema, prepared };
  }

  async stop(): Promise<void> {
    const servers = [...this.cache.values()];
    this.cache.clear();
    await Promise.allSettled(servers.map(async (server) => (await server).apollo.stop()));
  }
}
