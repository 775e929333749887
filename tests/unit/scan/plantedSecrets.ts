// A database with one planted case of every kind the secrets scan reports, written by the real
// sqlite3 CLI, and what the scan must say about each. Secrets are assembled at run time from
// pieces, so no file in the repository holds a whole key that other scanners would flag.
import { join } from 'node:path';
import { sqlite3 } from '../../helpers/sqliteCli';
import type { ScanSeverity, SecretKind } from '../../../core/scan/types';

/** The instant the planted JWTs' expiry is judged against. */
export const plantedNow = Date.UTC(2026, 0, 15, 12, 0, 0);

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function jwt(payload: Record<string, unknown>, alg = 'RS256'): string {
  return `${base64url({ alg, typ: 'JWT', kid: 'k1' })}.${base64url(payload)}.${Buffer.from('not-a-real-signature-just-bytes').toString('base64url')}`;
}

const join2 = (...parts: string[]): string => parts.join('');

export const planted = {
  plainPassword: 'correct horse battery',
  bcrypt: join2('$2b$12$', 'R9h/cIPz0gi.URNNX3kh2O', 'PST9/PgBkqquzi.Ss7KIUgO2t0jWMUW'),
  argon2: join2('$argon2id$v=19$m=65536,t=3,p=4$', 'c29tZXNhbHRzb21lc2FsdA', '$', 'RdescudvJCsgt3ub+b+dWRWJTmaaJObG'),
  pbkdf2: join2('pbkdf2_sha256$600000$', 'bFqZbQyKr1Xz', '$', 'Zg7mN0w4q0rD2xS5k8e0J1cKc2m1Yk0h6m1bqVvJt2E='),
  scrypt: join2('$scrypt$ln=16,r=8,p=1$', 'aM15713r3Xsvxbi31lqr1Q', '$', 'nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E'),
  validJwt: jwt({ iss: 'https://securetoken.google.com/demo-app', sub: 'user-42', exp: Date.UTC(2030, 0, 1) / 1000, iat: 1700000000 }),
  expiredJwt: jwt({ iss: 'https://auth.example.com', sub: 'user-7', exp: Date.UTC(2025, 0, 1) / 1000 }, 'HS256'),
  opaqueRefreshToken: join2('rt_', '8f3kQ2mZx9Lw1Pq7Vb4Nc6Hd0Js5Tg'),
  googleAccessToken: join2('ya29', '.a0AfH6SMBx3', 'kL9mN2pQ7rS1tU4vW8xY0zB5cD6eF'),
  firebaseApiKey: join2('AIza', 'SyD4kQ2mZx9Lw1Pq7Vb4Nc6Hd0Js5TgR8eW'),
  stripeLiveKey: join2('sk_', 'live_', '51H8xKq2mZx9Lw1Pq7Vb4Nc6'),
  awsSecretKey: join2('Xk9pQ2mZx9Lw1Pq7Vb4N', 'c6Hd0Js5TgR8eK2mQ3aB'),
  githubToken: join2('ghp_', 'Zx9Lw1Pq7Vb4Nc6Hd0Js5TgR8eK2mQ3aB7cD'),
  credentialUrl: join2('postgres://app', ':s3cr3tPassw0rd', '@db.internal.example.com:5432/app'),
  privateKey: join2('-----BEGIN ', 'PRIVATE KEY-----\n', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n', '-----END ', 'PRIVATE KEY-----'),
  card: '4111 1111 1111 1111',
  email: 'alice@example.com',
  pin: 4821,
} as const;

export interface ExpectedFinding {
  table: string;
  column: string;
  path: string | null;
  kind: SecretKind;
  severity: ScanSeverity;
}

export const expectedFindings: readonly ExpectedFinding[] = [
  { table: 'accounts', column: 'password', path: null, kind: 'password', severity: 'error' },
  { table: 'accounts', column: 'password_hash', path: null, kind: 'password-hash', severity: 'info' },
  { table: 'accounts', column: 'legacy_password', path: null, kind: 'password-hash', severity: 'info' },
  { table: 'accounts', column: 'email', path: null, kind: 'email', severity: 'info' },
  { table: 'accounts', column: 'pin', path: null, kind: 'password', severity: 'error' },
  { table: 'sessions', column: 'id_token', path: null, kind: 'jwt', severity: 'error' },
  { table: 'sessions', column: 'old_token', path: null, kind: 'jwt', severity: 'warning' },
  { table: 'sessions', column: 'refresh_token', path: null, kind: 'oauth-token', severity: 'error' },
  { table: 'sessions', column: 'google', path: null, kind: 'oauth-token', severity: 'error' },
  { table: 'settings', column: 'value', path: null, kind: 'google-api-key', severity: 'warning' },
  { table: 'settings', column: 'value', path: null, kind: 'cloud-key', severity: 'error' },
  { table: 'settings', column: 'value', path: null, kind: 'api-token', severity: 'error' },
  { table: 'settings', column: 'value', path: null, kind: 'credential-url', severity: 'error' },
  { table: 'settings', column: 'value', path: null, kind: 'private-key', severity: 'error' },
  { table: 'settings', column: 'blob_value', path: null, kind: 'jwt', severity: 'error' },
  { table: 'payments', column: 'card_number', path: null, kind: 'card-number', severity: 'error' },
  { table: 'payments', column: 'note', path: null, kind: 'card-number', severity: 'error' },
  { table: 'sync_operations', column: 'payload', path: '$.auth.refreshToken', kind: 'oauth-token', severity: 'error' },
  { table: 'sync_operations', column: 'payload', path: '$.user.password', kind: 'password', severity: 'error' },
  { table: 'sync_operations', column: 'payload', path: '$.user.passwordHash', kind: 'password-hash', severity: 'info' },
  { table: 'sync_operations', column: 'payload', path: '$.headers[0].authorization', kind: 'jwt', severity: 'error' },
  { table: 'sync_operations', column: 'payload', path: '$.user.email', kind: 'email', severity: 'info' },
  { table: 'kv', column: 'v', path: null, kind: 'cloud-key', severity: 'warning' },
];

function text(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Writes the planted database into `dir` with sqlite3 and returns its path. */
export function writePlantedDatabase(dir: string): string {
  const path = join(dir, 'planted.db');
  const payload = JSON.stringify({
    odid: 'u-1',
    auth: { refreshToken: planted.opaqueRefreshToken },
    user: { password: planted.plainPassword, passwordHash: planted.bcrypt, email: planted.email },
    headers: [{ authorization: `Bearer ${planted.validJwt}` }],
  });
  const stripeTestKey = join2('sk_', 'test_', '4eC39HqLyjWDarjtT1zdp7dc');
  sqlite3(
    path,
    `
CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT, password TEXT, password_hash TEXT, legacy_password TEXT, pin INTEGER, passwordUpdatedAt INTEGER);
INSERT INTO accounts VALUES (1, ${text(planted.email)}, ${text(planted.plainPassword)}, ${text(planted.bcrypt)}, ${text(planted.argon2)}, ${planted.pin}, 1700000000000);
INSERT INTO accounts VALUES (2, NULL, NULL, ${text(planted.pbkdf2)}, ${text(planted.scrypt)}, NULL, NULL);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, id_token TEXT, old_token TEXT, refresh_token TEXT, google TEXT);
INSERT INTO sessions VALUES (1, ${text(planted.validJwt)}, NULL, ${text(planted.opaqueRefreshToken)}, ${text(planted.googleAccessToken)});
INSERT INTO sessions VALUES (2, NULL, ${text(`legacy:${planted.expiredJwt}`)}, NULL, NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT, blob_value BLOB);
INSERT INTO settings VALUES ('firebaseApiKey', ${text(planted.firebaseApiKey)}, NULL);
INSERT INTO settings VALUES ('stripe', ${text(planted.stripeLiveKey)}, NULL);
INSERT INTO settings VALUES ('aws', ${text(`aws_secret_access_key = ${planted.awsSecretKey}`)}, NULL);
INSERT INTO settings VALUES ('github', ${text(planted.githubToken)}, NULL);
INSERT INTO settings VALUES ('database', ${text(planted.credentialUrl)}, NULL);
INSERT INTO settings VALUES ('signingKey', ${text(planted.privateKey)}, NULL);
INSERT INTO settings VALUES ('cachedToken', NULL, CAST(${text(planted.validJwt)} AS BLOB));
CREATE TABLE payments (id INTEGER PRIMARY KEY, card_number TEXT, note TEXT);
INSERT INTO payments VALUES (1, ${text(planted.card)}, NULL);
INSERT INTO payments VALUES (2, NULL, '5555555555554444');
CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation TEXT, payload TEXT, createdAt INTEGER, retryCount INTEGER DEFAULT 0, lastAttempt INTEGER, lastError TEXT);
INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt) VALUES ('users', 'u-1', 'update', ${text(payload)}, 1700000000000);
CREATE TABLE kv (k TEXT, n INTEGER, v TEXT, PRIMARY KEY (k, n)) WITHOUT ROWID;
INSERT INTO kv VALUES ('stripe', 1, ${text(stripeTestKey)});
`,
  );
  return path;
}
