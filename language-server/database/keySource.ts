// Where the language server gets the key of an encrypted database a SQL document is bound to. Its
// worker threads ask this thread over the key channel (core/db/keyChannel.ts) when they open a
// file that looks encrypted; this thread asks, in order:
//   1. the client, when it started the server with a session key (VS Code does: it answers from
//      the keys the user entered, kept in SecretStorage, sealed as core/db/sealedKeys.ts says);
//   2. the server's environment, as the CLI does: SYNCLENS_DB_KEY, with SYNCLENS_DB_CIPHER
//      (auto, sqlcipher4, sqlcipher3, chacha20) for another editor that starts the server itself.
// No key, sealed or not, is ever logged here.
import type { Connection } from 'vscode-languageserver';
import { isCipherChoice, type DatabaseKey } from '../../core/db/cipher';
import { serveDatabaseKeys } from '../../core/db/keyChannel';
import { keySealVariable, unsealDatabaseKey } from '../../core/db/sealedKeys';
import { DatabaseKeyRequest } from '../../core/protocol/languageServer';

export const keyVariable = 'SYNCLENS_DB_KEY';
export const cipherVariable = 'SYNCLENS_DB_CIPHER';

export interface KeySource {
  /** One line for the client's log when the environment's settings are ignored; null when they are fine. */
  readonly problem: string | null;
  dispose(): void;
}

/** Serves the worker threads' key requests from the client and `env`; takes the session key out of `env`. */
export function serveLanguageServerKeys(connection: Connection, env: NodeJS.ProcessEnv = process.env): KeySource {
  const sealKey = env[keySealVariable];
  // Not inherited by anything the server starts, nor shown by anything that prints its environment.
  delete env[keySealVariable];
  const cipher = env[cipherVariable] ?? 'auto';
  const problem = isCipherChoice(cipher) ? null : `${cipherVariable} must be auto, sqlcipher4, sqlcipher3 or chacha20, got "${cipher}": using auto`;
  const fromEnvironment = (): DatabaseKey | undefined => {
    const secret = env[keyVariable];
    return secret ? { secret, cipher: isCipherChoice(cipher) ? cipher : 'auto' } : undefined;
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
  return { problem, dispose: () => serving.dispose() };
}
