import type { ApolloServerPlugin } from '@apollo/server';
import { LakegateError } from '../query/errors';

/**
 * Apollo answers an error thrown before parsing or validation (a persisted-documents refusal, a
 * document over a limit) as a generic 500 unless a plugin throws it again from this hook; then it
 * is formatted like any other error, HTTP status from its extensions. Only our own refusals are
 * let through: anything else stays an unexpected failure.
 */
export function refusalsPlugin(): ApolloServerPlugin {
  return {
    async unexpectedErrorProcessingRequest({ error }) {
      if (error instanceof LakegateError) throw error;
    },
  };
}
