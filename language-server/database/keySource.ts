// Where the language server gets the key of an encrypted database a SQL document is bound to. Its
// worker threads ask this thread over the key channel (core/db/keyChannel.ts) when they open a
// file that looks encrypted; this thread asks, in order:
//   1. the client, when it started the server with a session key (VS Code does: it answers from
//      the keys the user entered, kept in SecretStorage, sealed as core/db/sealedKeys.ts says);
//   2. the server's environment, as the CLI does: SYNCLENS_DB_KEY, with SYNCLENS_DB_CIPHER
//      (auto, sqlcipher4, sqlcipher3, chacha20) and SYNCLENS_DB_CIPHER_PARAMS (SQLCipher settings
//      the app changed, `kdf_iter=64000,cipher_page_size=1024`) for another editor that starts the
//      server itself.
// No key, sealed or not, is ever logged here.
import type { Connection } from 'vscode-languageserver';
import { isCipherChoice, parseCipherParameter, type CipherParameters, type DatabaseKey } from '../../core/db/cipher';
import { serveDatabaseKeys } from '../../core/db/keyChannel';
import { keySealVariable, unsealDatabaseKey } from '../../core/db/sealedKeys';
import { DatabaseKeyRequest } from '../../core/protocol/languageServer';

export const keyVariable = 'SYNCLENS_DB_KEY';
export const cipherVariable = 'SYNCLENS_DB_CIPHER';
export const cipherParametersVariable = 'SYNCLENS_DB_CIPHER_PARAMS';

/** SYNCLENS_DB_CIPHER_PARAMS's settings, and a sentence for each one that is ignored. */
function readParameters(text: string | undefined): { parameters: CipherParameters; problems: string[] } {
  let parameters: CipherParameters = {};
  const problems: string[] = [];
  for (const part of (text ?? '').split(',').filter((item) => item.trim() !== '')) {
    const parsed = parseCipherParameter(part, parameters);
    if (typeof parsed === 'string') problems.push(`${cipherParametersVariable}: ${parsed}: ignored`);
    else parameters = parsed;
  }
  return { parameters, problems };
}

export interface KeySource {
  /** One line each for the client's log about environment settings that are ignored. */
  readonly problems: readonly string[];
  dispose(): void;
}

/** Serves the worker threads' key requests from the client and `env`; takes the session key out of `env`. */
export function serveLanguageServerKeys(connection: Connection, env: NodeJS.ProcessEnv = process.env): KeySource {
  const sealKey = env[keySealVariable];
  // Not inherited by anything the server starts, nor shown by anything that prints its environment.
  delete env[keySealVariable];
  const cipher = env[cipherVariable] ?? 'auto';
  const { parameters, problems } = readParameters(env[cipherParametersVariable]);
  if (!isCipherChoice(cipher)) problems.unshift(`${cipherVariable} must be auto, sqlcipher4, sqlcipher3 or chacha20, got "${cipher}": using auto`);
  const fromEnvironment = (): DatabaseKey | undefined => {
    const secret = env[keyVariable];
    return secret ? { secret, cipher: isCipherChoice(cipher) ? cipher : 'auto', parameters } : undefined;
  };
  const lookup = async (path: string): Promise<DatabaseKey | undefined> => {
    if (sealKey) {
      const answer = await connection.sendRequest(DatabaseKeyRequest.type, { path }).catch(() => null);
      const key = answer && typeof answer.sealed === 'string' ? unsealDatabaseKey(answer.sealed, sealKey, path) : undefined;
      if (key) return key;
    }
    return fromEnvironment();
  };
  const serving = serveDatabaseKeys(lookup);
  return { problems, dispose: () => serving.dispose() };
}
