/**
 * The words the sample lake is made of. Weights are relative (they need not sum to 100), so
 * the data is skewed the way real data is rather than uniform.
 */

export interface Weighted<T> {
  readonly value: T;
  readonly weight: number;
}

/** A name as displayed, and its ASCII form for e-mail addresses. */
export interface PersonName {
  readonly display: string;
  readonly ascii: string;
}

export interface Country {
  readonly code: string;
  readonly weight: number;
  readonly currency: string;
  /** Units of the currency per US dollar, to scale amounts into a plausible range. */
  readonly perUsd: number;
  /** Decimal places the currency is charged in (0 for yen). */
  readonly minorDigits: number;
  readonly firstNames: readonly PersonName[];
  readonly lastNames: readonly PersonName[];
}

const n = (display: string, ascii = display.toLowerCase()): PersonName => ({ display, ascii });

export const COUNTRIES: readonly Country[] = [
  {
    code: 'JP', weight: 30, currency: 'JPY', perUsd: 150, minorDigits: 0,
    firstNames: [n('Haruto'), n('Yui'), n('Sota'), n('Hina'), n('花子', 'hanako'), n('Ren'), n('Aoi')],
    lastNames: [n('Sato'), n('Suzuki'), n('Takahashi'), n('Tanaka'), n('山田', 'yamada'), n('Watanabe')],
  },
  {
    code: 'US', weight: 25, currency: 'USD', perUsd: 1, minorDigits: 2,
    firstNames: [n('James'), n('Olivia'), n('Liam'), n('Emma'), n('Noah'), n('Zoë', 'zoe')],
    lastNames: [n('Smith'), n('Johnson'), n('Williams'), n('Brown'), n('Garcia'), n('Miller')],
  },
  {
    code: 'DE', weight: 10, currency: 'EUR', perUsd: 0.92, minorDigits: 2,
    firstNames: [n('Lukas'), n('Anna'), n('Jürgen', 'juergen'), n('Lea'), n('Felix'), n('Mia')],
    lastNames: [n('Müller', 'mueller'), n('Schmidt'), n('Schneider'), n('Fischer'), n('Weber'), n('Becker')],
  },
  {
    code: 'FR', weight: 8, currency: 'EUR', perUsd: 0.92, minorDigits: 2,
    firstNames: [n('Louis'), n('Chloé', 'chloe'), n('Hugo'), n('Léa', 'lea'), n('Gabriel'), n('Manon')],
    lastNames: [n('Martin'), n('Bernard'), n('Dubois'), n('Lefèvre', 'lefevre'), n('Moreau'), n('Laurent')],
  },
  {
    code: 'GB', weight: 10, currency: 'GBP', perUsd: 0.79, minorDigits: 2,
    firstNames: [n('Oliver'), n('Amelia'), n('George'), n('Isla'), n('Harry'), n('Siobhán', 'siobhan')],
    lastNames: [n('Jones'), n('Taylor'), n('Davies'), n('Evans'), n("O'Brien", 'obrien'), n('Wilson')],
  },
  {
    code: 'BR', weight: 7, currency: 'BRL', perUsd: 5, minorDigits: 2,
    firstNames: [n('José', 'jose'), n('João', 'joao'), n('Maria'), n('Ana'), n('Pedro'), n('Lucas')],
    lastNames: [n('Silva'), n('Santos'), n('Oliveira'), n('Souza'), n('Conceição', 'conceicao'), n('Pereira')],
  },
  {
    code: 'IN', weight: 10, currency: 'INR', perUsd: 83, minorDigits: 2,
    firstNames: [n('Aarav'), n('Priya'), n('Vihaan'), n('Ananya'), n('Arjun'), n('Diya')],
    lastNames: [n('Sharma'), n('Patel'), n('Singh'), n('Kumar'), n('Gupta'), n('Iyer')],
  },
];

export const SEGMENTS: readonly Weighted<string | null>[] = [
  { value: 'consumer', weight: 60 },
  { value: 'smb', weight: 25 },
  { value: 'enterprise', weight: 10 },
  { value: null, weight: 5 },
];

export const STATUSES: readonly Weighted<string>[] = [
  { value: 'completed', weight: 85 },
  { value: 'pending', weight: 6 },
  { value: 'refunded', weight: 5 },
  { value: 'failed', weight: 4 },
];

export const CHANNELS: readonly Weighted<string | null>[] = [
  { value: 'web', weight: 45 },
  { value: 'app', weight: 35 },
  { value: 'store', weight: 17 },
  { value: null, weight: 3 },
];

export const EVENT_TYPES: readonly Weighted<string>[] = [
  { value: 'page_view', weight: 60 },
  { value: 'search', weight: 15 },
  { value: 'add_to_cart', weight: 15 },
  { value: 'purchase', weight: 10 },
];

export const OPERATING_SYSTEMS: readonly Weighted<string>[] = [
  { value: 'android', weight: 35 },
  { value: 'ios', weight: 30 },
  { value: 'windows', weight: 20 },
  { value: 'macos', weight: 10 },
  { value: 'linux', weight: 5 },
];

/** Browsers other than Safari, for devices that are not Apple's or whose users switched. */
export const OTHER_BROWSERS: readonly Weighted<string>[] = [
  { value: 'chrome', weight: 70 },
  { value: 'edge', weight: 15 },
  { value: 'firefox', weight: 15 },
];

export const CATEGORIES: readonly string[] = ['shoes', 'outdoor', 'kitchen', 'books', 'toys', 'electronics'];
export const SEARCH_TERMS: readonly string[] = ['running+shoes', 'tent', 'coffee+grinder', 'manga', 'lego', 'headphones', 'caf%C3%A9'];
export const SKU_COUNT = 500;

export interface Org {
  readonly name: string;
  /** Employees per ten: orgs repeat in this pattern, so every org is present in any sample. */
  readonly share: number;
  readonly salaryMin: number;
  readonly salaryMax: number;
}

export const ORGS: readonly Org[] = [
  { name: 'engineering', share: 4, salaryMin: 95_000, salaryMax: 185_000 },
  { name: 'sales', share: 2, salaryMin: 60_000, salaryMax: 150_000 },
  { name: 'marketing', share: 2, salaryMin: 55_000, salaryMax: 120_000 },
  { name: 'finance', share: 1, salaryMin: 65_000, salaryMax: 140_000 },
  { name: 'hr', share: 1, salaryMin: 50_000, salaryMax: 100_000 },
];

export const PROJECTS: readonly string[] = ['atlas', 'borealis', 'cobalt', 'delta', 'ember', 'falcon', 'gazette', 'helios'];

export const EMPLOYEE_COUNT = 40;

export const AWS_ACCOUNT = '111122223333';

/** CloudTrail API calls with the service endpoint that receives each. */
export const API_CALLS: readonly Weighted<{ readonly name: string; readonly source: string }>[] = [
  { value: { name: 'GetObject', source: 's3.amazonaws.com' }, weight: 30 },
  { value: { name: 'PutObject', source: 's3.amazonaws.com' }, weight: 10 },
  { value: { name: 'AssumeRole', source: 'sts.amazonaws.com' }, weight: 15 },
  { value: { name: 'StartQueryExecution', source: 'athena.amazonaws.com' }, weight: 12 },
  { value: { name: 'GetDataAccess', source: 'lakeformation.amazonaws.com' }, weight: 12 },
  { value: { name: 'GetTable', source: 'glue.amazonaws.com' }, weight: 10 },
  { value: { name: 'ConsoleLogin', source: 'signin.amazonaws.com' }, weight: 4 },
  { value: { name: 'DescribeInstances', source: 'ec2.amazonaws.com' }, weight: 4 },
  { value: { name: 'CreateUser', source: 'iam.amazonaws.com' }, weight: 2 },
  { value: { name: 'DeleteBucket', source: 's3.amazonaws.com' }, weight: 1 },
];

export const IDENTITY_TYPES: readonly Weighted<string>[] = [
  { value: 'AssumedRole', weight: 60 },
  { value: 'IAMUser', weight: 19 },
  { value: 'AWSService', weight: 20 },
  { value: 'Root', weight: 1 },
];

export const IAM_ROLES: readonly string[] = ['Analyst', 'JapanSales', 'HR', 'Marketing', 'Auditor', 'GlueCrawler'];
export const IAM_USERS: readonly string[] = ['alice', 'bob', 'carol', 'dave', 'erin', 'ci-deploy'];
export const AWS_SERVICES: readonly string[] = ['athena.amazonaws.com', 'glue.amazonaws.com', 'lakeformation.amazonaws.com'];
/** RFC 5737 documentation ranges, so no real address appears in the sample. */
export const IP_PREFIXES: readonly string[] = ['192.0.2.', '198.51.100.', '203.0.113.'];

export const REGIONS: readonly Weighted<string>[] = [
  { value: 'us-east-1', weight: 40 },
  { value: 'ap-northeast-1', weight: 30 },
  { value: 'eu-west-1', weight: 20 },
  { value: 'eu-central-1', weight: 10 },
];
