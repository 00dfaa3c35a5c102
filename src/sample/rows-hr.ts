import { listLiteral, literal, structLiteral } from './sql';
import { COUNTRIES, EMPLOYEE_COUNT, ORGS, PROJECTS } from './vocabulary';

/**
 * SQL for hr.employees: a fixed-size staff list whatever the lake size. Orgs repeat in a fixed
 * pattern so every org is present (row filters by org always have something to show); first
 * names are taken in order so no two employees share a name.
 */

const COMPLETED_SHARE = 0.6;

/** Every first name with its country's family names, so each full name is plausible. */
function staffNamesSql(): string {
  const entries = COUNTRIES.flatMap((country) =>
    country.firstNames.map((given) => `{'given': ${literal(given.display)}, 'families': ${listLiteral(country.lastNames.map((name) => name.display))}}`),
  );
  return `[${entries.join(', ')}]`;
}

function orgPatternSql(): string {
  const pattern = ORGS.flatMap((org) => Array.from({ length: org.share }, () => structLiteral({ name: org.name, low: org.salaryMin, high: org.salaryMax })));
  return `[${pattern.join(', ')}]`;
}

export function employeesSql(): string {
  return `SELECT entry.given || ' ' || pick(entry.families, i, 'family') AS name,
       org.name AS org,
       (round((org.low + rnd(i, 'salary') * (org.high - org.low)) / 1000) * 1000)::INTEGER AS salary,
       list_transform(range((rhash(i, 'project_count') % 4)::BIGINT),
                      lambda k: {'name': ${listLiteral(PROJECTS)}[1 + ((rhash(i, 'project') + 3 * k) % ${PROJECTS.length})::BIGINT],
                                 'completed': rnd(i * 4 + k, 'completed') < ${COMPLETED_SHARE}}) AS projects
FROM (
  SELECT i,
         ${staffNamesSql()}[1 + i % len(${staffNamesSql()})] AS entry,
         ${orgPatternSql()}[1 + i % len(${orgPatternSql()})] AS org
  FROM range(${EMPLOYEE_COUNT}) r(i)
)`;
}
