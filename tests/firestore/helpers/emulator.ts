// Wires node:test to the real Firestore emulator. Under `npm run test:firestore` the runner starts
// one emulator and exports FIRESTORE_EMULATOR_HOST / SYNCLENS_TEST_PROJECT; a file run on its own
// starts its own emulator. Where the jar is missing every test reports `skip` with the reason.
import { test, type TestContext } from 'node:test';
import {
  connectFirestore,
  type FirestoreConnection,
  type FirestoreSdk,
} from '../../../core/firestore/client';
import {
  defaultEmulatorProjectId,
  emulatorUnavailableReason,
  startFirestoreEmulator,
  wipeEmulator,
  type RunningEmulator,
} from '../../../scripts/firestore-emulator';

export interface EmulatorEndpoint {
  host: string;
  port: number;
  projectId: string;
}

export interface FirestoreTestContext {
  /** The node:test context of the running test. */
  t: TestContext;
  emulator: EmulatorEndpoint;
  target: { kind: 'emulator'; host: string; port: number; projectId: string };
  connection: FirestoreConnection;
  db: FirestoreConnection['db'];
  sdk: FirestoreSdk;
  /** Deletes every document of the test project. */
  wipe(): Promise<void>;
  /** A second, independent client (another device writing meanwhile); closed after the test. */
  connectAnother(): Promise<FirestoreConnection>;
}

let cachedSkipReason: string | false | undefined;

/** Why Firestore tests cannot run here, or false when they can. */
export function firestoreSkipReason(): string | false {
  if (cachedSkipReason !== undefined) return cachedSkipReason;
  const forced = process.env.SYNCLENS_FIRESTORE_SKIP;
  if (forced) cachedSkipReason = forced;
  else if (process.env.FIRESTORE_EMULATOR_HOST) cachedSkipReason = false;
  else cachedSkipReason = emulatorUnavailableReason() ?? false;
  return cachedSkipReason;
}

let ownEmulator: Promise<RunningEmulator> | undefined;

/** The emulator for this test process: the runner's, else one started (once) for this file. */
export async function emulatorOrSkip(): Promise<EmulatorEndpoint | { skip: string }> {
  const reason = firestoreSkipReason();
  if (reason) return { skip: reason };
  const fromRunner = process.env.FIRESTORE_EMULATOR_HOST;
  const projectId = process.env.SYNCLENS_TEST_PROJECT ?? defaultEmulatorProjectId;
  if (fromRunner) {
    const separator = fromRunner.lastIndexOf(':');
    return { host: fromRunner.slice(0, separator), port: Number(fromRunner.slice(separator + 1)), projectId };
  }
  // Unref'd: the file's process may exit; the emulator module kills the java group on exit.
  ownEmulator ??= startFirestoreEmulator({ projectId, unref: true });
  const running = await ownEmulator;
  return { host: running.host, port: running.port, projectId: running.projectId };
}

export function emulatorBaseUrl(endpoint: EmulatorEndpoint): string {
  return `http://${endpoint.host}:${endpoint.port}`;
}

/** Puts `rules` (firestore.rules text) in force for `projectId` on the emulator; rules are per project there. */
export async function loadSecurityRules(endpoint: EmulatorEndpoint, projectId: string, rules: string): Promise<void> {
  const response = await fetch(`${emulatorBaseUrl(endpoint)}/emulator/v1/projects/${projectId}:securityRules`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules: { files: [{ name: 'firestore.rules', content: rules }] } }),
  });
  if (!response.ok) throw new Error(`loading rules for ${projectId}: HTTP ${response.status} ${await response.text()}`);
}

export interface FirestoreTestOptions {
  timeout?: number;
  /** Keep the documents of the previous test (default: wipe before each test). */
  keepData?: boolean;
}

/**
 * A node:test test that gets a connected Firestore on a freshly wiped emulator project, or is
 * reported as skipped (with the reason) where the emulator cannot run.
 */
export function firestoreTest(
  name: string,
  fn: (context: FirestoreTestContext) => Promise<void>,
  options: FirestoreTestOptions = {},
): void {
  const skip = firestoreSkipReason();
  test(name, { skip: skip || false, timeout: options.timeout ?? 60_000 }, async (t) => {
    const endpoint = await emulatorOrSkip();
    if ('skip' in endpoint) {
      t.skip(endpoint.skip);
      return;
    }
    const target = { kind: 'emulator' as const, ...endpoint };
    const wipe = (): Promise<void> => wipeEmulator(emulatorBaseUrl(endpoint), endpoint.projectId);
    if (!options.keepData) await wipe();
    const opened: FirestoreConnection[] = [];
    const connection = await connectFirestore(target);
    opened.push(connection);
    try {
      await fn({
        t,
        emulator: endpoint,
        target,
        connection,
        db: connection.db,
        sdk: connection.sdk,
        wipe,
        connectAnother: async () => {
          const another = await connectFirestore(target);
          opened.push(another);
          return another;
        },
      });
    } finally {
      await Promise.all(opened.map((each) => each.close()));
    }
  });
}
