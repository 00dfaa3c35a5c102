import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Catalog } from '../catalog/types';
import { buildLakeSchema } from '../schema/build';
import type { RequestContext } from './context';
import { createErrorFormatter } from './errors';
import { limitsPlugin } from './limits/plugin';
import type { DocumentLimits } from './limits/violation';
import type { PersistedQuerySetup } from './persisted-queries';
import { queryStatsPlugin, requestLogPlugin } from './plugins';
import { refusalsPlugin } from './refusals';

/**
 * One Apollo Server per distinct entitlement (same readable datasets and columns → same
 * schema), built on first use and kept in a bounded cache. A caller's schema holds only what
 * it may read, so introspection, validation and "did you mean" never reveal the rest.
 */
interface SchemaServer {
  readonly apollo: ApolloServer<RequestContext>;
  /** The same schema, for this entitlement's subscriptions. */
  readonly schema: GraphQLSchema;
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

  /** The Apollo Server for this entitlement's schema, started. */
  async apolloFor(key: string, catalog: Catalog): Promise<ApolloServer<RequestContext>> {
    return (await this.serverFor(key, catalog)).apollo;
  }

  async schemaFor(key: string, catalog: Catalog): Promise<GraphQLSchema> {
    return (await this.serverFor(key, catalog)).schema;
  }

  private serverFor(key: string, catalog: Catalog): Promise<SchemaServer> {
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
    const apollo = new ApolloServer<RequestContext>({
      schema,
      includeStacktraceInErrorResponses: false,
      stopOnTerminationSignals: false,
      formatError: createErrorFormatter(this.logger),
      persistedQueries: this.persisted.persistedQueries,
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        // No HTTP cache hints: it would wrap every field resolver for headers we never send.
        ApolloServerPluginCacheControlDisabled(),
        refusalsPlugin(),
        ...this.persisted.plugins,
        limitsPlugin(this.limits),
        queryStatsPlugin(),
        requestLogPlugin(this.logger),
        ...this.plugins,
      ],
    });
    await apollo.start();
    return { apollo, schema };
  }

  async stop(): Promise<void> {
    const servers = [...this.cache.values()];
    this.cache.clear();
    await Promise.allSettled(servers.map(async (server) => (await server).apollo.stop()));
  }
}
