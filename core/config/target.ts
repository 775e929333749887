// The Firestore target a synclens.json names: the emulator, or a real project signed in with a
// password that never sits in the file (the extension passes it from SecretStorage; the CLI reads it
// from an environment variable whose name starts with SYNCLENS_).
import { CodedError } from '../errors';
import type { FirestoreTarget } from '../firestore/client';
import type { SyncLensConfig } from './config';

export const defaultEmulatorHost = '127.0.0.1';
export const defaultEmulatorProjectId = 'demo-synclens';
export const defaultPasswordEnv = 'SYNCLENS_FIREBASE_PASSWORD';
/**
 * `firestore.auth.passwordEnv` must start with this (schemas/synclens.schema.json says the same):
 * the password is sent to the project the file names, so a cloned repository's synclens.json must
 * not be able to pick GITHUB_TOKEN or AWS_SECRET_ACCESS_KEY from the user's environment.
 */
export const passwordEnvPrefix = 'SYNCLENS_';

export interface TargetOptions {
  /** The password, when the caller has it (the extension's SecretStorage). */
  password?: string;
  /** Where the CLI reads the password from; process.env by default. */
  env?: Record<string, string | undefined>;
}

/** The config signs in to a real project and the environment has no password for it. */
export class MissingSecretError extends CodedError<'config'> {
  override readonly name = 'MissingSecretError';
  constructor(
    readonly email: string,
    readonly variable: string,
  ) {
    super('config', `synclens.json signs in as ${email}: set the password in the environment variable ${variable}`);
  }
}

/** The Firestore target the config names, or null when it names none. */
export function firestoreTargetOf(config: SyncLensConfig | null, options: TargetOptions = {}): FirestoreTarget | null {
  const firestore = config?.firestore;
  if (!firestore) return null;
  if (firestore.emulator) {
    return {
      kind: 'emulator',
      host: firestore.emulator.host ?? defaultEmulatorHost,
      port: firestore.emulator.port,
      projectId: firestore.projectId ?? defaultEmulatorProjectId,
    };
  }
  if (!firestore.webConfig) return null;
  const webConfig = { ...firestore.webConfig };
  if (!firestore.auth) return { kind: 'project', webConfig };
  const variable = firestore.auth.passwordEnv ?? defaultPasswordEnv;
  // parseConfig already refuses such a name; a config built in code is held to the same rule here,
  // where the environment is read.
  if (!variable.startsWith(passwordEnvPrefix)) {
    throw new CodedError('config', `"firestore.auth.passwordEnv" is ${variable}: SyncLens reads the password only from a variable that starts with ${passwordEnvPrefix}`);
  }
  const password = options.password ?? (options.env ?? process.env)[variable];
  if (!password) throw new MissingSecretError(firestore.auth.email, variable);
  return { kind: 'project', webConfig, auth: { email: firestore.auth.email, password } };
}
