// What the secrets scan reports (core/scan/scanDatabase.ts): one finding per secret-looking value,
// where it is (table, column, row, JSON path) and why it matters, never the value itself.

/** How much a finding matters: `--fail-on` and the Problems panel follow it. */
export type ScanSeverity = 'info' | 'warning' | 'error';

export const scanSeverities: readonly ScanSeverity[] = ['info', 'warning', 'error'];

export type SecretKind =
  /** A plain value in a column or JSON key named like a password, PIN or secret. */
  | 'password'
  /** A recognised password hash (bcrypt, argon2, scrypt, PBKDF2), or a bare digest in a password column. */
  | 'password-hash'
  | 'jwt'
  /** An OAuth access or refresh token (a column named so, or Google's ya29. / 1// shapes). */
  | 'oauth-token'
  /** AIza…: a Firebase web API key is public by design, any other Google API key is a credential. */
  | 'google-api-key'
  | 'private-key'
  /** A cloud provider's key: AWS, Stripe, Cloudflare, Vercel, Databricks, Vault and the like. */
  | 'cloud-key'
  /** A service's API token: GitHub, Slack, npm, OpenAI, SendGrid and the like. */
  | 'api-token'
  /** A URL or connection string with a password in it. */
  | 'credential-url'
  | 'card-number'
  /** Personal data, not a secret: reported at info only. */
  | 'email';

export const secretKinds: readonly SecretKind[] = [
  'password', 'password-hash', 'jwt', 'oauth-token', 'google-api-key', 'private-key', 'cloud-key', 'api-token', 'credential-url', 'card-number', 'email',
];

/** A detection inside one value, before it is placed in the database. */
export interface Detection {
  readonly kind: SecretKind;
  readonly severity: ScanSeverity;
  /** Why it matters, in one sentence or two; never the secret's text. */
  readonly reason: string;
  /** The secret itself, which the preview is made from (never reported whole). */
  readonly secret: string;
}

/** A row's key as JSON can carry it: an INTEGER beyond 2^53 as its decimal text, a BLOB as hex. */
export type KeyValue = number | string | null;

export interface ScanFinding {
  readonly table: string;
  readonly column: string;
  /** The row's rowid, or null for a WITHOUT ROWID table (then `primaryKey` names it). */
  readonly rowid: KeyValue;
  /** The row's primary key by column, when it has one other than the rowid; else null. */
  readonly primaryKey: Readonly<Record<string, KeyValue>> | null;
  /** Where in the cell's JSON (`$.auth.refreshToken`, `$.items[2].card`), or null for the cell itself. */
  readonly path: string | null;
  readonly kind: SecretKind;
  readonly severity: ScanSeverity;
  /** The first 4 characters (none for a value shorter than 12) and the length: `sk_l… (32 chars)`. */
  readonly preview: string;
  readonly reason: string;
}

/** Every finding of one kind at one place (table, column, path), however many were listed. */
export interface FindingGroup {
  readonly table: string;
  readonly column: string;
  readonly path: string | null;
  readonly kind: SecretKind;
  readonly severity: ScanSeverity;
  readonly count: number;
  /** How many of them are in `findings` (a group lists its first few: see ScanOptions.maxPerGroup). */
  readonly listed: number;
}

export function severityRank(severity: ScanSeverity): number {
  return scanSeverities.indexOf(severity);
}

/**
 * The redacted form of a secret: its first 4 characters and its length. A value shorter than 12
 * characters shows none, so a PIN or a short password is never printed.
 */
export function redactedPreview(secret: string): string {
  const characters = Array.from(secret);
  const shown = characters.length >= 12 ? characters.slice(0, 4).join('') : '';
  return `${shown}… (${characters.length} chars)`;
}
