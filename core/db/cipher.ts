import { isMainThread } from 'node:worker_threads';
import { requestDatabaseKey } from './keyChannel';

// The ciphers an app database may be encrypted with, and how SQLite3 Multiple Ciphers is told to
// use each (core/db/wasm/cipherConnection.ts opens the file with them). The key itself is only ever
// handed to SQLite: no message, log or error here or above names it.

export const cipherNames = ['sqlcipher4', 'sqlcipher3', 'chacha20'] as const;
export type CipherName = (typeof cipherNames)[number];
export type CipherChoice = CipherName | 'auto';

export type DigestName = 'sha1' | 'sha256' | 'sha512';

/**
 * An app's own SQLCipher settings where they differ from its version's defaults, named as
 * SQLCipher's pragmas name them (`kdf_iter`, `cipher_page_size`, `cipher_hmac_algorithm`,
 * `cipher_kdf_algorithm`); see parseCipherParameter.
 */
export interface CipherParameters {
  readonly kdfIter?: number;
  readonly pageSize?: number;
  readonly hmacAlgorithm?: DigestName;
  readonly kdfAlgorithm?: DigestName;
}

/** The key an encrypted database opens with, and the cipher to open it with (default 'auto'). */
export interface DatabaseKey {
  /** A passphrase, or a raw key written x'…' (64 hex digits; SQLCipher also takes 96, key then salt). */
  readonly secret: string;
  readonly cipher?: CipherChoice;
  /** SQLCipher settings the app changed from its version's defaults (none: the defaults). */
  readonly parameters?: CipherParameters;
}

/**
 * What 'auto' tries, most likely first: SQLCipher 4 is what sqlcipher_flutter_libs (drift),
 * sqflite_sqlcipher and Isar 4's encrypted SQLite engine (built with SQLCipher) write today; then
 * ChaCha20-Poly1305, SQLite3 Multiple Ciphers' own default; SQLCipher 3 last (older apps).
 */
const autoOrder: readonly CipherName[] = ['sqlcipher4', 'chacha20', 'sqlcipher3'];

const labels: Record<CipherName, string> = {
  sqlcipher4: 'SQLCipher 4',
  sqlcipher3: 'SQLCipher 3',
  chacha20: 'ChaCha20-Poly1305 (SQLite3 Multiple Ciphers)',
};

/** SQLite3 Multiple Ciphers' pragmas for each: its SQLCipher scheme at a version's defaults, or ChaCha20. */
const configuration: Record<CipherName, string> = {
  sqlcipher4: "PRAGMA cipher='sqlcipher'; PRAGMA legacy=4;",
  sqlcipher3: "PRAGMA cipher='sqlcipher'; PRAGMA legacy=3;",
  chacha20: "PRAGMA cipher='chacha20';",
};

export function cipherLabel(cipher: CipherName): string {
  return labels[cipher];
}

export function isCipherChoice(text: string): text is CipherChoice {
  return text === 'auto' || (cipherNames as readonly string[]).includes(text);
}

export function ciphersToTry(choice: CipherChoice = 'auto'): readonly CipherName[] {
  return choice === 'auto' ? autoOrder : [choice];
}

const rawKeyPattern = /^x'([0-9a-f]{64}|[0-9a-f]{96})'$/i;

/** True for a raw key (x'…'), which SQLite3 Multiple Ciphers uses as the key itself, without a KDF. */
export function isRawKey(secret: string): boolean {
  return rawKeyPattern.test(secret);
}

/**
 * The SQL that configures `cipher` and gives SQLite the key, before anything is read. A pragma's
 * value cannot be bound, so the key goes in as a string literal with its quotes doubled; the text
 * lives in the wasm heap only while SQLite parses it.
 */
export function keyingSql(cipher: CipherName, secret: string, parameters: CipherParameters = {}): string {
  return `${configuration[cipher]} ${parameterSql(cipher, parameters)}PRAGMA key='${secret.replaceAll("'", "''")}';`;
}

/** SQLite3 Multiple Ciphers' digest numbers (its sqlcipher scheme's hmac_algorithm / kdf_algorithm). */
const digestNumbers: Record<DigestName, number> = { sha1: 0, sha256: 1, sha512: 2 };

/** The parameters as SQLite3 Multiple Ciphers' pragmas, after the cipher's version defaults; ChaCha20 takes the KDF rounds and page size only. */
function parameterSql(cipher: CipherName, parameters: CipherParameters): string {
  const pragmas: string[] = [];
  if (parameters.kdfIter !== undefined) pragmas.push(`PRAGMA kdf_iter=${parameters.kdfIter};`);
  if (parameters.pageSize !== undefined) pragmas.push(`PRAGMA legacy_page_size=${parameters.pageSize};`);
  if (cipher !== 'chacha20') {
    if (parameters.hmacAlgorithm !== undefined) pragmas.push(`PRAGMA hmac_algorithm=${digestNumbers[parameters.hmacAlgorithm]};`);
    if (parameters.kdfAlgorithm !== undefined) pragmas.push(`PRAGMA kdf_algorithm=${digestNumbers[parameters.kdfAlgorithm]};`);
  }
  return pragmas.map((pragma) => `${pragma} `).join('');
}

/** The parameter names parseCipherParameter takes, with an example each, for messages. */
export const cipherParameterHelp = 'kdf_iter=64000, cipher_page_size=1024, cipher_hmac_algorithm=HMAC_SHA1|HMAC_SHA256|HMAC_SHA512, cipher_kdf_algorithm=PBKDF2_HMAC_SHA1|PBKDF2_HMAC_SHA256|PBKDF2_HMAC_SHA512';

const digestByName: Record<string, DigestName> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

/**
 * Adds one `name=value` setting, written as SQLCipher's pragma (`kdf_iter=64000`), to
 * `parameters`; returns the result, or a sentence saying what is wrong with it.
 */
export function parseCipherParameter(text: string, parameters: CipherParameters = {}): CipherParameters | string {
  const match = /^\s*([a-z_]+)\s*=\s*(\S+)\s*$/i.exec(text);
  if (!match) return `"${text}" is not name=value (one of ${cipherParameterHelp})`;
  const name = match[1]!.toLowerCase();
  const value = match[2]!;
  const whole = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  switch (name) {
    case 'kdf_iter':
      if (!(whole >= 1 && whole <= 0x7fffffff)) return `kdf_iter must be a whole number of rounds from 1, got "${value}"`;
      return { ...parameters, kdfIter: whole };
    case 'cipher_page_size':
      if (!(whole >= 512 && whole <= 65536 && (whole & (whole - 1)) === 0)) return `cipher_page_size must be a power of two from 512 to 65536, got "${value}"`;
      return { ...parameters, pageSize: whole };
    case 'cipher_hmac_algorithm':
    case 'cipher_kdf_algorithm': {
      const digest = digestByName[value.toUpperCase().replace(/^(PBKDF2_)?HMAC_/, '')];
      const prefix = name === 'cipher_hmac_algorithm' ? 'HMAC_' : 'PBKDF2_HMAC_';
      if (!digest) return `${name} must be ${prefix}SHA1, ${prefix}SHA256 or ${prefix}SHA512, got "${value}"`;
      return name === 'cipher_hmac_algorithm' ? { ...parameters, hmacAlgorithm: digest } : { ...parameters, kdfAlgorithm: digest };
    }
    default:
      return `unknown cipher parameter "${name}" (known: ${cipherParameterHelp})`;
  }
}

/** The parameters as the user writes them, for messages: `kdf_iter=64000, cipher_page_size=1024`. */
export function describeCipherParameters(parameters: CipherParameters): string {
  const parts: string[] = [];
  if (parameters.kdfIter !== undefined) parts.push(`kdf_iter=${parameters.kdfIter}`);
  if (parameters.pageSize !== undefined) parts.push(`cipher_page_size=${parameters.pageSize}`);
  if (parameters.hmacAlgorithm !== undefined) parts.push(`cipher_hmac_algorithm=HMAC_${parameters.hmacAlgorithm.toUpperCase()}`);
  if (parameters.kdfAlgorithm !== undefined) parts.push(`cipher_kdf_algorithm=PBKDF2_HMAC_${parameters.kdfAlgorithm.toUpperCase()}`);
  return parts.join(', ');
}

/** The key for an encrypted database that its opener did not pass one for, or undefined. */
export type DatabaseKeyLookup = (path: string) => DatabaseKey | undefined | Promise<DatabaseKey | undefined>;

// In a worker thread the keys are the extension host's (SecretStorage): ask it over the key channel.
let keyLookup: DatabaseKeyLookup = isMainThread ? () => undefined : requestDatabaseKey;

/**
 * Where keys come from in this process when a caller of openDatabaseFile passes none (the engine,
 * the queue analysis, the workers and the CLI commands open files without knowing about keys). It
 * is asked only for a file that looks encrypted. The CLI sets it from the environment
 * (core/cli/keyOptions.ts); worker threads ask the thread that serves keys (core/db/keyChannel.ts).
 */
export function setDatabaseKeyLookup(lookup: DatabaseKeyLookup): void {
  keyLookup = lookup;
}

export async function databaseKeyFor(path: string): Promise<DatabaseKey | undefined> {
  return keyLookup(path);
}
