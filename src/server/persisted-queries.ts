import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import { documentHash, type PersistedDocuments } from '../config/persisted-documents';
import type { PersistedQueriesConfig } from '../config/schema';
import { LakegateError } from '../query/errors';

type DocumentCache = NonNullable<PersistedQueryOptions['cache']>;

/** Registered APQ documents, shared by every schema server of the app: a bounded LRU in this replica's memory. */
const APQ_CACHE_BYTES = 16 * 1024 ** 2;

/** How each Apollo Server is set up for the configured mode; built once, shared by every schema server. */
export interface PersistedQuerySetup {
  readonly persistedQueries: PersistedQueryOptions | false;
  readonly plugins: readonly ApolloServerPlugin[];
  /** Whether a document sent in full may run (outside an allowlist, any may). */
  readonly admitsDocument: (source: string) => boolean;
}

/**
 * - `off`: any document; a persisted-query extension is answered PERSISTED_QUERY_NOT_SUPPORTED.
 * - `apq`: Apollo's automatic persisted queries: a document is registered under its sha256 once
 *   it passed every check (limits included), then the hash alone runs it; an unknown hash is
 *   PERSISTED_QUERY_NOT_FOUND and the client sends the document again.
 * - `allowlist`: only the manifest's documents, sent in full or by hash through the same
 *   protocol (the manifest is the read-only store); anything else is PERSISTED_QUERY_NOT_ALLOWED.
 */
export function persistedQuerySetup(settings: PersistedQueriesConfig, documents: PersistedDocuments | null): PersistedQuerySetup {
  switch (settings.mode) {
    case 'off':
      return { persistedQueries: false, plugins: [], admitsDocument: () => true };
    case 'apq':
      return { persistedQueries: { cache: boundedCache(APQ_CACHE_BYTES) }, plugins: [], admitsDocument: () => true };
    case 'allowlist':
      if (!documents) throw new Error('persistedQueries.mode is allowlist but no manifest was loaded');
      return { persistedQueries: { cache: manifestStore(documents) }, plugins: [allowlistPlugin(documents)], admitsDocument: (source) => documents.has(documentHash(source)) };
  }
}

function boundedCache(maxBytes: number): DocumentCache {
  const cache = new LRUCache<string, string>({ maxSize: maxBytes, sizeCalculation: (value, key) => value.length + key.length });
  return {
    get: async (key) => cache.get(key),
    set: async (key, value) => void cache.set(key, value),
    delete: async (key) => cache.delete(key),
  };
}

/** The manifest as Apollo's persisted-query store: read-only, so no client can register a document. Apollo namespaces its keys (`apq:<hash>`). */
function manifestStore(documents: PersistedDocuments): DocumentCache {
  const hashOf = (key: string): string => key.slice(key.lastIndexOf(':') + 1);
  return {
    get: async (key) => documents.get(hashOf(key)),
    set: async () => undefined,
    delete: async () => false,
  };
}

/**
 * Refuses, before anything is parsed, a request whose document is not in the manifest: the hash
 * it names (`extensions.persistedQuery.sha256Hash`), else the sha256 of the text it sends.
 * Introspection is no exception: it runs only if its document is in the manifest.
 */
function allowlistPlugin(documents: PersistedDocuments): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const named: unknown = request.extensions?.['persistedQuery']?.sha256Hash;
      const hash = typeof named === 'string' ? named : request.query === undefined ? undefined : documentHash(request.query);
      if (hash !== undefined && !documents.has(hash)) {
        throw new LakegateError('PERSISTED_QUERY_NOT_ALLOWED', 'this server accepts only the documents of its persisted-documents manifest, and this one is not in it', { sha256Hash: hash });
      }
    },
  };
}
