// SQLCipher turns a passphrase into its page key with PBKDF2 over the file's salt (its first 16
// bytes): 256,000 rounds of HMAC-SHA512 for SQLCipher 4, 64,000 of HMAC-SHA1 for SQLCipher 3. In
// SQLite's wasm that blocks the thread for about a second on every open, and the database worker
// opens a file again after each change the app makes. Node's own PBKDF2 runs on the thread pool,
// so the page key is derived there once per file and passphrase, kept in this process's memory,
// and handed to SQLite as the equivalent raw key (x'key salt'). ChaCha20's KDF (64,007 rounds of
// HMAC-SHA256) is cheap and stays SQLite3 Multiple Ciphers' own.
import { createHash, pbkdf2 } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { ciphersToTry, isRawKey, type CipherName, type DatabaseKey, type DigestName } from './cipher';

const pbkdf2Async = promisify(pbkdf2);
const derivations: Partial<Record<CipherName, { iterations: number; digest: DigestName }>> = {
  sqlcipher4: { iterations: 256_000, digest: 'sha512' },
  sqlcipher3: { iterations: 64_000, digest: 'sha1' },
};
const saltBytes = 16;
const maxCached = 32;
/** Raw keys by cipher, salt and a digest of the passphrase; never written anywhere. */
const cache = new Map<string, string>();

/** The raw key SQLite gets for each cipher instead of `key`'s passphrase, where one can be derived. */
export type DerivedKeys = Partial<Record<CipherName, string>>;

export async function deriveKeys(key: DatabaseKey, file: string): Promise<DerivedKeys> {
  if (isRawKey(key.secret)) return {};
  const salt = readSalt(file);
  // A plain file (its SQLite header where the salt would be) needs no key at all.
  if (!salt || salt.toString('latin1') === 'SQLite format 3\u0000') return {};
  const derived: DerivedKeys = {};
  await Promise.all(
    ciphersToTry(key.cipher).map(async (cipher) => {
      const defaults = derivations[cipher];
      if (!defaults) return;
      // An app's own kdf_iter / cipher_kdf_algorithm (core/db/cipher.ts CipherParameters) change the derivation.
      const iterations = key.parameters?.kdfIter ?? defaults.iterations;
      const digest = key.parameters?.kdfAlgorithm ?? defaults.digest;
      const slot = `${cipher}:${iterations}:${digest}:${salt.toString('hex')}:${createHash('sha256').update(key.secret).digest('hex')}`;
      let raw = cache.get(slot);
      if (!raw) {
        const pageKey = await pbkdf2Async(key.secret, salt, iterations, 32, digest);
        raw = `x'${pageKey.toString('hex')}${salt.toString('hex')}'`;
        cache.set(slot, raw);
        if (cache.size > maxCached) cache.delete(cache.keys().next().value!);
      }
      derived[cipher] = raw;
    }),
  );
  return derived;
}

/** The file's first 16 bytes (SQLCipher's salt), or null for a file too short to hold them. */
function readSalt(file: string): Buffer | null {
  const salt = Buffer.alloc(saltBytes);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    return readSync(fd, salt, 0, saltBytes, 0) === saltBytes ? salt : null;
  } finally {
    closeSync(fd);
  }
}
