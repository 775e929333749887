// The secrets scan on files written by the real sqlite3 CLI: one planted case of every kind with its
// severity, and realistic clean databases (the sample workspace's, and one full of UUIDs, document
// ids, avatars, hashes and push tokens) with nothing at warning or above.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { recogniseHash } from '../../../core/scan/hashes';
import { scanDatabaseFile } from '../../../core/scan/scanDatabase';
import { isSecretlintCandidate } from '../../../core/scan/secretlint';
import { cardNetworkOf, findJwts, passesLuhn } from '../../../core/scan/tokens';
import { isSecretName, tokenNameOf } from '../../../core/scan/fields';
import { redactedPreview, secretKinds, type ScanFinding } from '../../../core/scan/types';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';
import { expectedFindings, jwt, planted, plantedNow, writePlantedDatabase } from './plantedSecrets';

const repoRoot = join(__dirname, '..', '..', '..');

function placeOf(finding: Pick<ScanFinding, 'table' | 'column' | 'path' | 'kind' | 'severity'>): string {
  return `${finding.severity} ${finding.kind} ${finding.table}.${finding.column}${finding.path ? ` ${finding.path}` : ''}`;
}

describe('secrets scan: planted database', () => {
  const scratch = scratchDir('synclens-scan-');
  after(() => scratch.cleanup());
  const path = writePlantedDatabase(scratch.dir);

  test('finds every planted case with its kind and severity, and nothing else', async () => {
    const result = await scanDatabaseFile(path, { now: plantedNow });
    const found = [...new Set(result.findings.map(placeOf))].sort();
    assert.deepEqual(found, [...new Set(expectedFindings.map(placeOf))].sort());
    const kinds = new Set(result.findings.map((finding) => finding.kind));
    assert.deepEqual([...kinds].sort(), [...secretKinds].sort(), 'every kind the scan knows is planted');
    assert.equal(result.rows, 15);
    assert.equal(result.tables, 6);
  });

  test('never prints a secret: the preview is 4 characters and a length, none for short values', async () => {
    const result = await scanDatabaseFile(path, { now: plantedNow });
    const secrets = Object.values(planted).map(String);
    for (const finding of result.findings) {
      for (const secret of secrets.filter((value) => value.length >= 6)) {
        assert.ok(!finding.preview.includes(secret) && !finding.reason.includes(secret), `${placeOf(finding)} shows ${secret.slice(0, 4)}…`);
      }
      assert.match(finding.preview, /^.{0,4}… \(\d+ chars\)$/su);
    }
    const pin = result.findings.find((finding) => finding.column === 'pin');
    assert.equal(pin?.preview, '… (4 chars)');
    assert.equal(redactedPreview(planted.stripeLiveKey), 'sk_l… (32 chars)');
  });

  test('JWTs are decoded: alg, iss, sub and exp, expired or not', async () => {
    const result = await scanDatabaseFile(path, { now: plantedNow });
    const valid = result.findings.find((finding) => finding.column === 'id_token');
    assert.match(valid?.reason ?? '', /alg RS256, iss https:\/\/securetoken\.google\.com\/demo-app, sub user-42, exp 2030-01-01T00:00:00\.000Z \(not expired\)/);
    const expired = result.findings.find((finding) => finding.column === 'old_token');
    assert.match(expired?.reason ?? '', /alg HS256, iss https:\/\/auth\.example\.com, sub user-7, exp 2025-01-01T00:00:00\.000Z \(expired\)/);
    assert.equal(expired?.severity, 'warning');
    const unsigned = findJwts(jwt({ sub: 'x' }, 'none'), plantedNow)[0];
    assert.match(unsigned?.reason ?? '', /alg none \(unsigned\).*no exp \(never expires\)/);
  });

  test('rows are named by rowid, or by primary key where the key is not the rowid', async () => {
    const result = await scanDatabaseFile(path, { now: plantedNow });
    const stripe = result.findings.find((finding) => finding.table === 'settings' && finding.kind === 'cloud-key' && finding.preview.startsWith('sk_l'));
    assert.deepEqual([stripe?.rowid, stripe?.primaryKey], [null, { key: 'stripe' }]);
    const test = result.findings.find((finding) => finding.table === 'kv');
    assert.deepEqual([test?.rowid, test?.primaryKey], [null, { k: 'stripe', n: 1 }]);
    const payload = result.findings.find((finding) => finding.path === '$.user.password');
    assert.deepEqual([payload?.rowid, payload?.primaryKey], [1, null]);
  });

  test('a Firebase web API key is said to be public by design', async () => {
    const result = await scanDatabaseFile(path, { now: plantedNow });
    const key = result.findings.find((finding) => finding.kind === 'google-api-key');
    assert.match(key?.reason ?? '', /Firebase web API key, it is not a secret by design/);
  });

  test('a group lists its first findings and counts them all', async () => {
    const result = await scanDatabaseFile(path, { now: plantedNow, maxPerGroup: 1 });
    const hashes = result.groups.find((group) => group.table === 'accounts' && group.column === 'password_hash');
    assert.deepEqual([hashes?.count, hashes?.listed], [2, 1]);
    assert.equal(result.findings.filter((finding) => finding.column === 'password_hash').length, 1);
  });
});

describe('secrets scan: clean databases', () => {
  const scratch = scratchDir('synclens-scan-clean-');
  after(() => scratch.cleanup());

  test('the sample workspace databases: emails at info, nothing at warning or above', async () => {
    for (const name of ['app.db', 'app-wal.db', 'isar-style.db']) {
      const result = await scanDatabaseFile(join(repoRoot, 'sample-workspace', name));
      assert.deepEqual(result.findings.filter((finding) => finding.severity !== 'info').map(placeOf), [], name);
      assert.ok(result.findings.every((finding) => finding.kind === 'email'), `${name}: only emails`);
      assert.ok(result.rows > 20, `${name} scanned`);
    }
  });

  test('UUIDs, document ids, avatars, hashes, push tokens and numbers are not secrets', async () => {
    const path = join(scratch.dir, 'clean.db');
    sqlite3(path, cleanDatabaseSql());
    const result = await scanDatabaseFile(path, { maxPerGroup: 0 });
    assert.equal(result.rows, 650);
    assert.deepEqual(result.findings.filter((finding) => finding.severity !== 'info').map(placeOf), []);
    const kinds = new Set(result.findings.map((finding) => `${finding.kind} ${finding.column}`));
    assert.deepEqual([...kinds].sort(), ['email email', 'password-hash password_hash']);
  });
});

/** Seeded bytes, so the clean database is the same on every run. */
function seededBytes(seed: number): (length: number) => Buffer {
  let state = seed >>> 0;
  return (length) => {
    const bytes = Buffer.alloc(length);
    for (let index = 0; index < length; index++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
      mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
      bytes[index] = ((mixed ^ (mixed >>> 14)) >>> 0) & 0xff;
    }
    return bytes;
  };
}

function cleanDatabaseSql(): string {
  const random = seededBytes(42);
  const hex = (length: number): string => random(length).toString('hex');
  const text = (value: string): string => `'${value.replaceAll("'", "''")}'`;
  const bcryptAlphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bcrypt = (): string => `$2b$12$${[...random(53)].map((byte) => bcryptAlphabet[byte % 64]).join('')}`;
  const documentId = (): string => random(15).toString('base64').replace(/[+/]/g, 'x').slice(0, 20);
  const uuid = (): string => {
    const digits = hex(16);
    return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-4${digits.slice(13, 16)}-a${digits.slice(17, 20)}-${digits.slice(20)}`;
  };
  const statements = [
    'BEGIN;',
    `CREATE TABLE users (id TEXT PRIMARY KEY, odid TEXT, email TEXT, avatar TEXT, avatarBytes BLOB, photo BLOB, password_hash TEXT, fcmToken TEXT, nextPageToken TEXT,
       passwordUpdatedAt INTEGER, hasPassword INTEGER, createdAt INTEGER, phone TEXT, settings TEXT);`,
    'CREATE TABLE files (id INTEGER PRIMARY KEY, sha256 TEXT, md5 TEXT, etag TEXT, commitSha TEXT, size INTEGER, orderNumber TEXT, micros INTEGER);',
    'CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation TEXT, payload TEXT, createdAt INTEGER, retryCount INTEGER, lastAttempt INTEGER, lastError TEXT);',
  ];
  for (let i = 1; i <= 300; i++) {
    const settings = JSON.stringify({ theme: 'dark', lastDeviceId: hex(16), tags: ['a', 'b'], avatarId: uuid() });
    statements.push(
      `INSERT INTO users VALUES (${[
        text(uuid()), text(documentId()), text(`user${i}@example.com`), text(`data:image/png;base64,${random(600).toString('base64')}`),
        `CAST(${text(random(900).toString('base64'))} AS BLOB)`, `x'89504e470d0a1a0a${hex(2000)}'`, text(bcrypt()),
        text(`${hex(8)}:APA91b${random(100).toString('base64url')}`), text(hex(16)), 1700000000000 + i, 1, 1700000000000000 + i * 1000,
        text(`+1 555 ${String(i).padStart(7, '0')}`), text(settings),
      ].join(', ')});`,
      `INSERT INTO files VALUES (${[i, text(hex(32)), text(hex(16)), text(`"${hex(16)}"`), text(hex(20)), i * 1024, text(`1${String(i * 7919).padStart(15, '0')}`), 1700000000000000 + i].join(', ')});`,
    );
    if (i <= 50) {
      const payload = JSON.stringify({ id: i, sha256: hex(32), uploadUrl: `https://storage.example.com/o/${hex(8)}?alt=media`, owner: uuid() });
      statements.push(`INSERT INTO sync_operations VALUES (${i}, 'files', 'f-${i}', 'update', ${text(payload)}, 1700000000000, 0, NULL, 'UNAVAILABLE: try again');`);
    }
  }
  statements.push('COMMIT;');
  return statements.join('\n');
}

describe('secrets scan: detectors', () => {
  test('password hashes by their formats; a bare digest is not a slow hash', () => {
    assert.equal(recogniseHash(planted.bcrypt)?.scheme, 'bcrypt');
    assert.equal(recogniseHash(planted.argon2)?.scheme, 'argon2id');
    assert.equal(recogniseHash(planted.scrypt)?.scheme, 'scrypt');
    assert.equal(recogniseHash(planted.pbkdf2)?.scheme, 'PBKDF2-SHA256');
    assert.equal(recogniseHash('pbkdf2:sha256:600000$abcdEFGH$0123456789abcdef')?.scheme, 'PBKDF2-SHA256');
    assert.equal(recogniseHash('scrypt:32768:8:1$salt1234$0123456789abcdef')?.scheme, 'scrypt');
    assert.deepEqual(recogniseHash('5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'), { scheme: 'a bare SHA-256 digest', slow: false });
    assert.equal(recogniseHash(planted.plainPassword), null);
    assert.equal(recogniseHash('$2b$12$tooshort'), null);
  });

  test('names: passwords and tokens, not what only talks about them', () => {
    for (const name of ['password', 'userPassword', 'passwd', 'pin', 'pin_code', 'client_secret', 'password_hash', 'Passcode']) assert.ok(isSecretName(name), name);
    for (const name of ['passwordUpdatedAt', 'hasPassword', 'secretQuestion', 'pinned', 'spinner', 'opinion']) assert.ok(!isSecretName(name), name);
    assert.equal(tokenNameOf('refreshToken'), 'refresh token');
    assert.equal(tokenNameOf('access_token'), 'access token');
    for (const name of ['fcmToken', 'nextPageToken', 'pushToken', 'csrf_token', 'tokenCount', 'tokenizer']) assert.equal(tokenNameOf(name), null, name);
  });

  test('Luhn and card networks', () => {
    assert.ok(passesLuhn('4111111111111111'));
    assert.ok(!passesLuhn('4111111111111112'));
    assert.equal(cardNetworkOf('378282246310005'), 'American Express');
    assert.equal(cardNetworkOf('5555555555554444'), 'Mastercard');
    assert.equal(cardNetworkOf('1700000000000000'), null);
  });

  test('every planted key that secretlint reports passes the prefilter that decides whether it runs', () => {
    for (const value of [planted.stripeLiveKey, planted.githubToken, planted.credentialUrl, planted.privateKey, `aws_secret_access_key = ${planted.awsSecretKey}`]) {
      assert.ok(isSecretlintCandidate(value), value.slice(0, 6));
    }
    assert.ok(!isSecretlintCandidate('user0000001@example.com'));
    assert.ok(!isSecretlintCandidate('{"darkMode":true,"locale":"en_US"}'));
  });
});
