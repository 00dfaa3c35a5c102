import type { ExecuteStatementInput, SqlParameter } from '@aws-sdk/client-redshift-data';
import { redshiftDataParameters } from '../../sql/redshift';
import type { CompiledQuery } from '../../sql/types';

/** Where statements run: a provisioned cluster or a Redshift Serverless workgroup (name or ARN). */
export type RedshiftDataTarget = { readonly clusterIdentifier: string } | { readonly workgroupName: string };

/**
 * How the Data API signs in to the database: a Secrets Manager secret (name or ARN), or temporary
 * credentials for a database user (provisioned clusters only). Leave it out to sign in as the
 * caller's IAM identity (`IAM:<user>` / `IAMR:<role>`), which both clusters and workgroups take.
 */
export type RedshiftDataAuth = { readonly secretArn: string } | { readonly dbUser: string };

/** The parts of ExecuteStatement that are the same for every statement of an engine. */
export type StatementTarget = Pick<ExecuteStatementInput, 'Database' | 'ClusterIdentifier' | 'WorkgroupName' | 'SecretArn' | 'DbUser'>;

/**
 * Checks target and auth once, at engine creation, with the rules the Data API would otherwise
 * apply per request: exactly one of cluster or workgroup; DbUser only with a cluster (Serverless
 * has no GetClusterCredentials); a secret or a user, not both; a database name.
 */
export function statementTarget(database: string, target: RedshiftDataTarget, auth: RedshiftDataAuth | undefined): StatementTarget {
  if (typeof database !== 'string' || database.trim() === '') throw new TypeError('redshift-data: database is required');
  const cluster = 'clusterIdentifier' in target ? target.clusterIdentifier : undefined;
  const workgroup = 'workgroupName' in target ? target.workgroupName : undefined;
  if ((cluster === undefined) === (workgroup === undefined)) {
    throw new TypeError('redshift-data: target must name exactly one of clusterIdentifier (provisioned) or workgroupName (Serverless)');
  }
  if ((cluster ?? workgroup)!.trim() === '') throw new TypeError('redshift-data: the cluster identifier or workgroup name is empty');
  const secretArn = auth && 'secretArn' in auth ? auth.secretArn : undefined;
  const dbUser = auth && 'dbUser' in auth ? auth.dbUser : undefined;
  if (secretArn !== undefined && dbUser !== undefined) throw new TypeError('redshift-data: auth takes secretArn or dbUser, not both');
  if (dbUser !== undefined && cluster === undefined) {
    throw new TypeError('redshift-data: auth.dbUser (temporary credentials) needs a provisioned cluster; with a Serverless workgroup use secretArn or the IAM identity');
  }
  if ((secretArn ?? dbUser)?.trim() === '') throw new TypeError('redshift-data: auth.secretArn / auth.dbUser is empty');
  return {
    Database: database,
    ...(cluster !== undefined ? { ClusterIdentifier: cluster } : { WorkgroupName: workgroup }),
    ...(secretArn !== undefined ? { SecretArn: secretArn } : {}),
    ...(dbUser !== undefined ? { DbUser: dbUser } : {}),
  };
}

/** ExecuteStatement for one compiled query; `Parameters` left out when there are none (the API takes no empty list). */
export function executeStatementInput(query: CompiledQuery, target: StatementTarget, clientToken: string, statementName?: string): ExecuteStatementInput {
  const parameters: SqlParameter[] = redshiftDataParameters(query.params);
  return {
    Sql: query.sql,
    ...(parameters.length > 0 ? { Parameters: parameters } : {}),
    ...target,
    ClientToken: clientToken,
    ...(statementName ? { StatementName: statementName } : {}),
  };
}
