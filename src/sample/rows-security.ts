import { dayTimestampSql } from './days';
import { listLiteral, literal, structLiteral, weightedCase } from './sql';
import { API_CALLS, AWS_ACCOUNT, AWS_SERVICES, IAM_ROLES, IAM_USERS, IDENTITY_TYPES, IP_PREFIXES, REGIONS } from './vocabulary';

/**
 * SQL for security.cloudtrail, one day at a time (rows `start`..`stop`-1 all fall on `day`).
 * The identity's ARN follows its type the way CloudTrail writes it; AWS services have no ARN
 * and show the service name in place of an IP address.
 */

const DAY_MS = 86_400_000;

function arnSql(): string {
  return `CASE identity_type
    WHEN 'AssumedRole' THEN ${literal(`arn:aws:sts::${AWS_ACCOUNT}:assumed-role/`)} || pick(${listLiteral(IAM_ROLES)}, i, 'role') || '/' || pick(${listLiteral(IAM_USERS)}, i, 'user')
    WHEN 'IAMUser' THEN ${literal(`arn:aws:iam::${AWS_ACCOUNT}:user/`)} || pick(${listLiteral(IAM_USERS)}, i, 'user')
    WHEN 'Root' THEN ${literal(`arn:aws:iam::${AWS_ACCOUNT}:root`)}
    ELSE NULL END`;
}

export function cloudtrailSql(day: number, start: number, stop: number): string {
  return `SELECT ${dayTimestampSql(String(day))} + to_milliseconds((rhash(i, 'time') % ${DAY_MS})::BIGINT) AS eventtime,
       api.name AS eventname,
       api.source AS eventsource,
       {'type': identity_type, 'arn': ${arnSql()}} AS useridentity,
       CASE WHEN identity_type = 'AWSService' THEN pick(${listLiteral(AWS_SERVICES)}, i, 'service')
            ELSE pick(${listLiteral(IP_PREFIXES)}, i, 'net') || (1 + rhash(i, 'host') % 254)::VARCHAR END AS sourceipaddress,
       ${weightedCase('rnd(i, \'region\')', REGIONS)} AS awsregion
FROM (
  SELECT i,
         ${weightedCase('rnd(i, \'call\')', API_CALLS, (value) => structLiteral(value))} AS api,
         ${weightedCase('rnd(i, \'identity\')', IDENTITY_TYPES)} AS identity_type
  FROM range(${start}, ${stop}) r(i)
)`;
}
