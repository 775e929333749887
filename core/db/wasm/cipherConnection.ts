// An encrypted database opened with its key. SQLite3 Multiple Ciphers' cipher VFS wraps ours
// (core/db/wasm/snapshotVfs.ts): SQLite asks it for a page, it reads the ciphertext page from our
// snapshot and decrypts it; a page SQLite writes is encrypted (same cipher, same parameters, a
// fresh IV) before our snapshot keeps it. So the snapshot only ever holds ciphertext, and a
// write-back (core/db/writeBack.ts) writes re-encrypted pages without knowing there is a cipher.
import { basename } from 'node:path';
import { cipherLabel, ciphersToTry, describeCipherParameters, keyingSql, type CipherName, type CipherParameters, type DatabaseKey } from '../cipher';
import type { DerivedKeys } from '../derivedKeys';
import { DatabaseFileError } from '../errors';
import { SqliteError, WaConnection, type ErrorTranslator } from './connection';
import { snapshotVfsName } from './snapshotVfs';
import type { WaSqliteModule } from './sqliteModule';

/** The name SQLite3 Multiple Ciphers gives the cipher VFS it layers over ours. */
const cipherVfsName = `multipleciphers-${snapshotVfsName}`;
const SQLITE_NOTADB = 26;

/** Layers the cipher VFS over our registered snapshot VFS (once per module). */
export function registerCipherVfs(sqlite: WaSqliteModule): void {
  const rc = sqlite.ccall('sqlite3mc_vfs_create', 'number', ['string', 'number'], [snapshotVfsName, 0]) as number;
  if (rc !== 0) throw new Error(`could not layer SQLite3 Multiple Ciphers over the SyncLens VFS (${rc})`);
}

export interface CipherConnection {
  connection: WaConnection;
  cipher: CipherName;
}

/**
 * Opens `name` (a snapshot registered with our VFS) with `key`, trying the key's cipher or, for
 * 'auto', each likely one in turn; the first whose decryption of page 1 SQLite accepts wins.
 * `derived` holds the raw key equivalent to the passphrase for the ciphers it could be derived for.
 * Throws 'wrong-key' naming the ciphers tried when none does.
 */
export function openCipherConnection(sqlite: WaSqliteModule, name: string, key: DatabaseKey, derived: DerivedKeys, file: string, translate: ErrorTranslator): CipherConnection {
  const tried = ciphersToTry(key.cipher);
  for (const cipher of tried) {
    // A raw key derived from the passphrase (core/db/derivedKeys.ts) opens the file as the passphrase would, without the KDF.
    const connection = tryCipher(sqlite, name, derived[cipher] ?? key.secret, cipher, key.parameters ?? {}, translate);
    if (connection) return { connection, cipher };
  }
  const settings = describeCipherParameters(key.parameters ?? {});
  throw new DatabaseFileError(
    'wrong-key',
    file,
    `${basename(file)} is encrypted, and the key or cipher does not open this database (tried ${tried.map(cipherLabel).join(', ')}, ${settings ? `with ${settings}` : 'each at its default settings'}). ` +
      "Check the key (a passphrase, or a raw key written x'…'), or name the cipher the app uses. " +
      'An app that changed SQLCipher\'s settings needs them named (kdf_iter, cipher_page_size, cipher_hmac_algorithm, cipher_kdf_algorithm): ' +
      "synclens --cipher-param kdf_iter=64000 (once per setting), or SYNCLENS_DB_CIPHER_PARAMS='kdf_iter=64000,cipher_page_size=1024' in the language server's environment.",
  );
}

function tryCipher(sqlite: WaSqliteModule, name: string, secret: string, cipher: CipherName, parameters: CipherParameters, translate: ErrorTranslator): WaConnection | null {
  let keyAccepted = false;
  // Until page 1 decrypts, "file is not a database" means this key or cipher is not the one; after
  // that, it is a damaged page of a file the key does open.
  const probing: ErrorTranslator = (error) => (!keyAccepted && (error.code & 0xff) === SQLITE_NOTADB ? error : translate(error));
  // READWRITE so SQLite's writes (a replay, a resolve) reach the snapshot's in-memory pages.
  const connection = WaConnection.open(sqlite, name, cipherVfsName, 0x02, probing);
  try {
    connection.exec(keyingSql(cipher, secret, parameters));
    // Before the first read: exclusive locking lets a WAL-mode database keep its WAL index in memory.
    connection.exec('PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-4096');
    connection.exec('SELECT count(*) FROM sqlite_schema');
    keyAccepted = true;
    keepChangesInSnapshot(connection);
    return connection;
  } catch (error) {
    connection.close();
    if (!keyAccepted && error instanceof SqliteError && (error.code & 0xff) === SQLITE_NOTADB) return null;
    throw error;
  }
}

/**
 * A plain file is shown to SQLite in rollback mode (the snapshot rewrites two header bytes); an
 * encrypted page 1 cannot be touched, so a WAL-mode database stays in WAL mode with its WAL in
 * memory, and every commit is checkpointed at once: SQLite's changes reach the snapshot's pages,
 * where a re-read guard and the write-back look for them, and the file keeps its journal mode.
 */
function keepChangesInSnapshot(connection: WaConnection): void {
  const mode = connection.exec('PRAGMA journal_mode')[0]?.values[0]?.[0];
  if (mode === 'wal') connection.exec('PRAGMA wal_autocheckpoint=1');
  else connection.exec('PRAGMA journal_mode=MEMORY');
}
