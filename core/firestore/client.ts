// Connections to Cloud Firestore (a real project or the emulator) through the official web SDK.
// The SDK is imported lazily: `synclens inspect` and the extension's activation never load it, and
// the bundles resolve ./firebaseSdk to dist/firebase.js beside them at run time (scripts/build.mjs).
import type { FirebaseApp } from 'firebase/app';
import type { Firestore } from 'firebase/firestore/lite';
import { CodedError, type FirestoreConnectionErrorCode } from '../errors';

export type FirestoreSdk = typeof import('firebase/firestore/lite');

/** A project's web config as the Firebase console shows it. Holds no secrets. */
export interface FirebaseWebConfig {
  apiKey: string;
  projectId: string;
  authDomain?: string;
  appId?: string;
  storageBucket?: string;
  messagingSenderId?: string;
  measurementId?: string;
}

export interface EmailPasswordCredentials {
  email: string;
  /** From SecretStorage (extension) or an environment variable (CLI); never from a file. */
  password: string;
}

export type FirestoreTarget =
  | { kind: 'emulator'; host: string; port: number; projectId: string }
  | { kind: 'project'; webConfig: FirebaseWebConfig; auth?: EmailPasswordCredentials };

export interface FirestoreConnection {
  readonly target: FirestoreTarget;
  readonly projectId: string;
  readonly db: Firestore;
  /** The loaded `firebase/firestore/lite` module: use its functions so callers need no static import. */
  readonly sdk: FirestoreSdk;
  /**
   * The Firebase Auth ID token of the user signed in with the target's credentials, for requests
   * SyncLens sends over REST itself (core/firestore/restRequests.ts: the Firestore SDK cache's plan,
   * the engine's commits); null for the emulator or a project without sign-in.
   */
  idToken(): Promise<string | null>;
  /** Terminates the Firestore instance and deletes its app. Safe to call twice. */
  close(): Promise<void>;
}

export type { FirestoreConnectionErrorCode };

export class FirestoreConnectionError extends CodedError<FirestoreConnectionErrorCode> {
  override readonly name = 'FirestoreConnectionError';
}

export function isFirestoreConnectionError(error: unknown): error is FirestoreConnectionError {
  return error instanceof FirestoreConnectionError;
}

export function describeTarget(target: FirestoreTarget): string {
  return target.kind === 'emulator'
    ? `the Firestore emulator at ${target.host}:${target.port} (project ${target.projectId})`
    : `Firestore project ${target.webConfig.projectId}`;
}

export function targetProjectId(target: FirestoreTarget): string {
  return target.kind === 'emulator' ? target.projectId : target.webConfig.projectId;
}

let connectionCounter = 0;

export interface ConnectOptions {
  /** The SDK's own console logging; 'silent' by default so CLI output stays clean. */
  logLevel?: 'debug' | 'error' | 'silent';
}

export async function connectFirestore(target: FirestoreTarget, options: ConnectOptions = {}): Promise<FirestoreConnection> {
  validateTarget(target);
  const { appSdk, firestoreSdk: sdk } = await import('./firebaseSdk');
  sdk.setLogLevel(options.logLevel ?? 'silent');
  const projectId = targetProjectId(target);
  // A unique name per connection: several targets (or tests) may be open at once.
  const appName = `synclens-${++connectionCounter}-${process.pid}-${Date.now().toString(36)}`;
  const app: FirebaseApp =
    target.kind === 'emulator'
      ? appSdk.initializeApp({ projectId, apiKey: 'synclens-emulator' }, appName)
      : appSdk.initializeApp({ ...target.webConfig }, appName);
  let db: Firestore;
  let user: SignedInUser | null = null;
  try {
    db = sdk.initializeFirestore(app, { ignoreUndefinedProperties: true });
    if (target.kind === 'emulator') sdk.connectFirestoreEmulator(db, target.host, target.port);
    if (target.kind === 'project' && target.auth) user = await signIn(app, target.auth);
  } catch (error) {
    await appSdk.deleteApp(app).catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    target,
    projectId,
    db,
    sdk,
    idToken: async () => (user ? user.getIdToken() : null),
    close: () => {
      closing ??= (async () => {
        await sdk.terminate(db);
        await appSdk.deleteApp(app);
      })();
      return closing;
    },
  };
}

function validateTarget(target: FirestoreTarget): void {
  if (target.kind === 'emulator') {
    if (!target.host) throw new FirestoreConnectionError('invalid-config', 'the emulator host is empty');
    if (!Number.isInteger(target.port) || target.port <= 0 || target.port > 65535) {
      throw new FirestoreConnectionError('invalid-config', `the emulator port must be 1-65535, got ${target.port}`);
    }
    if (!target.projectId) throw new FirestoreConnectionError('invalid-config', 'the emulator needs a projectId (e.g. demo-synclens)');
    return;
  }
  if (!target.webConfig.projectId) throw new FirestoreConnectionError('invalid-config', 'the web config has no projectId');
  if (!target.webConfig.apiKey) throw new FirestoreConnectionError('invalid-config', 'the web config has no apiKey');
}

/** What a connection keeps of the signed-in user: its ID token, refreshed by Firebase Auth when stale. */
interface SignedInUser {
  getIdToken(): Promise<string>;
}

async function signIn(app: FirebaseApp, credentials: EmailPasswordCredentials): Promise<SignedInUser> {
  const { authSdk } = await import('./firebaseSdk');
  try {
    const signedIn = await authSdk.signInWithEmailAndPassword(authSdk.getAuth(app), credentials.email, credentials.password);
    return signedIn.user;
  } catch (error) {
    const code = firebaseErrorCode(error);
    if (code === 'auth/network-request-failed') {
      throw new FirestoreConnectionError('unreachable', `could not reach Firebase Auth to sign in ${credentials.email}`);
    }
    if (code === 'auth/invalid-api-key' || code === 'auth/api-key-not-valid.-please-pass-a-valid-api-key.') {
      throw new FirestoreConnectionError('invalid-config', 'the web config\'s apiKey was rejected by Firebase Auth');
    }
    throw new FirestoreConnectionError('unauthenticated', `sign-in as ${credentials.email} failed (${code ?? (error as Error).message})`);
  }
}

function firebaseErrorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/**
 * The Firestore code of an SDK error, 'unknown' when it has none. Firestore Lite reports a request
 * that never got an HTTP answer (refused, reset, no route) as 'unknown' with Node's "fetch failed" in
 * its message; for SyncLens that is the server being unavailable, as the full SDK would say.
 */
export function firestoreErrorCode(error: unknown): string {
  const code = firebaseErrorCode(error) ?? 'unknown';
  if (code === 'unknown' && error instanceof Error && /^Request failed with error: fetch failed\b/.test(error.message)) return 'unavailable';
  return code;
}

export interface ReachabilityOptions {
  /** Overall bound; the SDK's requests have no timeout of their own. Default 10 s. */
  timeoutMs?: number;
  /** A document path the probe reads (rules may allow only the app's collections). */
  probePath?: string;
}

export interface Reachability {
  latencyMs: number;
}

/**
 * Proves the target answers a real read: resolves, or rejects with a FirestoreConnectionError
 * saying which of unreachable / permission denied / unknown project / unauthenticated it is.
 */
export async function checkReachable(target: FirestoreTarget, options: ReachabilityOptions = {}): Promise<Reachability> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const started = Date.now();
  validateTarget(target);
  if (target.kind === 'emulator') await probeEmulatorHttp(target, timeoutMs);
  const remaining = Math.max(1_000, timeoutMs - (Date.now() - started));
  const connection = await withTimeout(connectFirestore(target), remaining, () => unreachable(target, remaining));
  try {
    const { doc, getDoc } = connection.sdk;
    const probe = doc(connection.db, options.probePath ?? 'synclens-probe/ping');
    await withTimeout(getDoc(probe), remaining, () => unreachable(target, remaining));
  } catch (error) {
    throw classifyFirestoreError(error, target);
  } finally {
    await connection.close().catch(() => undefined);
  }
  return { latencyMs: Date.now() - started };
}

async function probeEmulatorHttp(target: Extract<FirestoreTarget, { kind: 'emulator' }>, timeoutMs: number): Promise<void> {
  const url = `http://${target.host}:${target.port}/`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(Math.min(timeoutMs, 5_000)) });
    await response.arrayBuffer();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new FirestoreConnectionError(
      'unreachable',
      `${describeTarget(target)} is not answering (${cause}): is it running, and are host and port right?`,
    );
  }
}

function unreachable(target: FirestoreTarget, timeoutMs: number): FirestoreConnectionError {
  return new FirestoreConnectionError('unreachable', `${describeTarget(target)} did not answer within ${timeoutMs} ms`);
}

/** Maps an SDK error (FirebaseError codes) to the connection error a user can act on. */
export function classifyFirestoreError(error: unknown, target: FirestoreTarget): Error {
  if (error instanceof FirestoreConnectionError) return error;
  const code = firestoreErrorCode(error);
  const detail = (error as Error)?.message ?? String(error);
  switch (code) {
    case 'permission-denied':
      return new FirestoreConnectionError('permission-denied', `${describeTarget(target)} denied access: ${detail}`);
    case 'unauthenticated':
      return new FirestoreConnectionError('unauthenticated', `${describeTarget(target)} needs a signed-in user: ${detail}`);
    case 'not-found':
      return new FirestoreConnectionError('unknown-project', `${describeTarget(target)} does not exist or has no Firestore database: ${detail}`);
    case 'invalid-argument':
      return new FirestoreConnectionError('invalid-config', `${describeTarget(target)} rejected the configuration: ${detail}`);
    case 'unavailable':
    case 'deadline-exceeded':
      return new FirestoreConnectionError('unreachable', `${describeTarget(target)} is unreachable: ${detail}`);
    default:
      return error instanceof Error ? error : new Error(detail);
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
