import { isMainThread } from 'node:worker_threads';
import { requestDatabaseKey } from './keyChannel';

// The ciphers an app database may be encrypted with, and how SQLite3 Multiple Ciphers is told to
// use each (core/db/wasm/cipherConnection.ts opens the file with them). The key itself is only ever
// handed to SQLite: no message, log or error here or above names it.

export const cipherNames = ['sqlcipher4', 'sqlcipher3', 'chacha20'] as const;
export type CipherName = (typeof cipherNames)[number];
export type CipherChoice = CipherName | 'auto';

/** The key an encrypted database opens with, and the cipher to open it with (default 'auto'). */
export interface DatabaseKey {
  /** A passphrase, or a raw key written x'…' (64 hex digits; SQLCipher also takes 96, key then salt). */
  readonly secret: string;
  readonly cipher?: CipherChoice;
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
export function keyingSql(cipher: CipherName, secret: string): string {
  return `${configuration[cipher]} PRAGMA key='${secret.replaceAll("'", "''")}';`;
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
