import type { DocumentNode } from 'graphql';
import { buildPersistedDocuments } from '../config/persisted-documents';

/**
 * A graphql-codegen plugin (see codegen.yml): the persisted-documents manifest of the client
 * operations codegen loaded, the same documents it types, as JSON.
 */
export function plugin(_schema: unknown, documents: readonly { readonly document?: DocumentNode }[]): string {
  const manifest = buildPersistedDocuments(documents.flatMap((file) => (file.document ? [file.document] : [])));
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
