// The key of an encrypted database on its way from the VS Code extension to its language server
// (language-server/database/keySource.ts asks, extension/languageClient.ts answers). The LSP
// connection is traced to the output channel when a user sets `synclens.trace.server` to verbose,
// so a key is never sent in the clear on it: the extension starts the server with a random
// session key in its environment (keySealVariable) and answers with the database key sealed by it
// (AES-256-GCM, bound to the file's path). Only the server's process can open it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isCipherChoice, type DatabaseKey } from './cipher';

/** The environment variable the extension passes the session key in; the server removes it from its environment on start. */
export const keySealVariable = 'SYNCLENS_KEY_SEAL';

const ivBytes = 12;
const tagBytes = 16;

export function newSealKey(): string {
  return randomBytes(32).toString('base64');
}

export function sealDatabaseKey(key: DatabaseKey, sealKey: string, path: string): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(sealKey, 'base64'), iv);
  cipher.setAAD(Buffer.from(path, 'utf8'));
  const body = Buffer.concat([cipher.update(JSON.stringify({ secret: key.secret, cipher: key.cipher ?? 'auto' }), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The key sealed for `path`, or undefined when it was sealed with another session key or for another file. */
export function unsealDatabaseKey(sealed: string, sealKey: string, path: string): DatabaseKey | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(sealKey, 'base64'), bytes.subarray(0, ivBytes));
    decipher.setAAD(Buffer.from(path, 'utf8'));
    decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
    const text = Buffer.concat([decipher.update(bytes.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
    const parsed = JSON.parse(text) as { secret?: unknown; cipher?: unknown };
    if (typeof parsed.secret !== 'string' || parsed.secret === '') return undefined;
    return { secret: parsed.secret, cipher: typeof parsed.cipher === 'string' && isCipherChoice(parsed.cipher) ? parsed.cipher : 'auto' };
  } catch {
    return undefined;
  }
}
