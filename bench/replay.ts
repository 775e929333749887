// Replay and plan of 10,000 queued ops against a private Firestore emulator: the engine (bulk
// reads, batches of 500, through Firestore Lite) beside the reference's loop (one awaited write /
// read per op through the full web SDK, as the app's SDK does it), same run.
// Goals: replay >= 30x, plan >= 20x. Prints figures; asserts nothing about time.
//   SYNCLENS_BENCH_OPS, SYNCLENS_BENCH_BATCH, SYNCLENS_BENCH_CONCURRENCY  size and shape of the run
//   SYNCLENS_BENCH_TRACE=1  time each engine request
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { deleteApp, initializeApp } from 'firebase/app';
import * as fullSdk from 'firebase/firestore';
import * as engineSdk from 'firebase/firestore/lite';
import { openDatabaseFile } from '../core/db/open';
import { detectRoles } from '../core/db/roles';
import { readSchema } from '../core/db/schema';
import { createFirestoreRemote, type RemoteStore } from '../core/engine/remoteStore';
import { SyncSession } from '../core/engine/session';
import { connectFirestore, type FirestoreConnection } from '../core/firestore/client';
import { emulatorUnavailableReason, startFirestoreEmulator } from '../scripts/firestore-emulator';
import { scratchDir, sqlite3 } from '../tests/helpers/sqliteCli';

const operations = Number(process.env.SYNCLENS_BENCH_OPS ?? 10_000);
const base = Date.UTC(2026, 10, 20, 9, 0, 0);
const batchSize = Number(process.env.SYNCLENS_BENCH_BATCH ?? 500);
const concurrency = Number(process.env.SYNCLENS_BENCH_CONCURRENCY ?? 4);

function writeDatabase(path: string): void {
  // Built by SQLite itself: a recursive CTE makes the rows and their create ops.
  sqlite3(path, `
    CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, name TEXT NOT NULL, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL, isSynced INTEGER NOT NULL DEFAULT 0, isDeleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1);
    CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT, createdAt TEXT NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0, lastAttempt TEXT, lastError TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${operations})
    INSERT INTO users (odid, email, name, createdAt, updatedAt)
      SELECT printf('user%06d', i), printf('user%d@example.com', i), printf('User %d', i),
             strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000}, 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000} + i, 'unixepoch') FROM n;
    INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt)
      SELECT 'users', odid, 'create', json_object('odid', odid, 'email', email, 'name', name, 'createdAt', createdAt, 'updatedAt', updatedAt, 'isDeleted', json('false'), 'version', version), updatedAt FROM users ORDER BY id;
  `);
}

async function engineWarmup(connection: FirestoreConnection, round: number): Promise<void> {
  const { sdk, db } = connection;
  const warm = sdk.writeBatch(db);
  for (let i = 0; i < 500; i++) warm.set(sdk.doc(db, 'warmup', `e${i}`), { round, i, at: sdk.Timestamp.fromMillis(base + i), name: `e${i}` }, { merge: true });
  await warm.commit();
  await sdk.getCount(sdk.collection(db, 'warmup'));
  await sdk.getDocs(sdk.query(sdk.collection(db, 'warmup'), sdk.where(sdk.documentId(), '>=', 'e1'), sdk.orderBy(sdk.documentId()), sdk.limit(5000)));
  await sdk.getDocs(sdk.query(sdk.collection(db, 'warmup'), sdk.where(sdk.documentId(), 'in', Array.from({ length: 30 }, (_, i) => `e${i}`))));
}

/** The engine builds documents with Firestore Lite's value classes; the full SDK wants its own. */
function inFullSdkValues(document: Record<string, unknown>): Record<string, unknown> {
  const convert = (value: unknown): unknown => {
    if (value instanceof engineSdk.Timestamp) return new fullSdk.Timestamp(value.seconds, value.nanoseconds);
    if (value instanceof engineSdk.Bytes) return fullSdk.Bytes.fromUint8Array(value.toUint8Array());
    if (Array.isArray(value)) return value.map(convert);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, convert(inner)]));
    return value;
  };
  return convert(document) as Record<string, unknown>;
}

/** CPU milliseconds the emulator's JVM has used so far (utime + stime from /proc). */
function emulatorCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function trace<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    console.log(`  ${label}: ${(performance.now() - started).toFixed(0)} ms`);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const unavailable = emulatorUnavailableReason();
  if (unavailable) {
    console.log(`skipped: ${unavailable}`);
    return;
  }
  const { dir, cleanup } = scratchDir('synclens-bench-replay-');
  const emulator = await startFirestoreEmulator({ projectId: 'demo-synclens-bench' });
  const target = { kind: 'emulator' as const, host: emulator.host, port: emulator.port, projectId: emulator.projectId };
  // The reference loop runs on the full SDK (what the app uses: its write stream and listen
  // machinery); per op it was also the faster of the two SDKs here (lite: one HTTP request each).
  const referenceApp = initializeApp({ projectId: target.projectId, apiKey: 'synclens-bench' }, 'synclens-bench-reference');
  const db = fullSdk.initializeFirestore(referenceApp, {});
  fullSdk.connectFirestoreEmulator(db, target.host, target.port);
  fullSdk.setLogLevel('silent');
  const sdk = fullSdk;
  const engineConnection = await connectFirestore(target);
  try {
    const path = join(dir, 'bench.db');
    writeDatabase(path);
    const openSession = async () => {
      const opened = await openDatabaseFile(path);
      const roles = detectRoles(opened.db, readSchema(opened.db));
      const inner = createFirestoreRemote(engineConnection, { timeoutMs: 120_000 });
      const remote: RemoteStore = process.env.SYNCLENS_BENCH_TRACE
        ? {
            sdk: inner.sdk,
            readDocuments: async (refs) => trace(`read ${refs.length}`, () => inner.readDocuments(refs)),
            commit: async (writes) => trace(`commit ${writes.length}`, () => inner.commit(writes)),
            readChangedSince: inner.readChangedSince,
          }
        : inner;
      return { opened, session: new SyncSession(opened.db, roles, remote, { now: () => base + 86_400_000 }) };
    };
    // The emulator is a JVM: it runs cold for its first few thousand documents (the first 5,000
    // batched writes took 10x the CPU of later ones). Warm every path both sides use with volume;
    // the round times show whether it has settled before anything is measured.
    const warmupRounds = Number(process.env.SYNCLENS_BENCH_WARMUP_ROUNDS ?? 8);
    const roundMs: number[] = [];
    for (let round = 0; round < warmupRounds; round++) {
      const started = performance.now();
      const warm = sdk.writeBatch(db);
      for (let i = 0; i < 500; i++) warm.set(sdk.doc(db, 'warmup', `w${i}`), { round, i, at: sdk.Timestamp.fromMillis(base + i), name: `w${i}` }, { merge: true });
      await warm.commit();
      for (let i = 0; i < 100; i++) await sdk.setDoc(sdk.doc(db, 'warmup', `s${i}`), { round, at: sdk.Timestamp.fromMillis(base) }, { merge: true });
      for (let i = 0; i < 100; i++) await sdk.getDocFromServer(sdk.doc(db, 'warmup', `w${i}`));
      // The engine's own paths, through its own client.
      await engineWarmup(engineConnection, round);
      roundMs.push(performance.now() - started);
    }
    console.log(`emulator warm-up rounds (ms): ${roundMs.map((ms) => ms.toFixed(0)).join(' ')}`);
    await emulator.wipe();

    // Wall time and the emulator's CPU time of one measured step: the emulator's CPU per
    // document is the floor under any client-side strategy.
    const measure = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number; emulatorMs: number }> => {
      const cpuBefore = emulatorCpuMs(emulator.pid);
      const started = performance.now();
      const result = await work();
      return { result, ms: performance.now() - started, emulatorMs: emulatorCpuMs(emulator.pid) - cpuBefore };
    };
    const perDoc = (ms: number): string => `${(ms / operations).toFixed(3)} ms/doc`;
    const describe = (label: string, step: { ms: number; emulatorMs: number }): string =>
      `${label} ${seconds(step.ms)} (emulator CPU ${seconds(step.emulatorMs)}, ${perDoc(step.emulatorMs)})`;

    // The reference's SyncService: for each pending op, await save() (one set with merge).
    const reference = await openSession();
    const plannedForReference = await reference.session.plan();
    const referenceReplay = await measure(async () => {
      for (const entry of plannedForReference.operations) {
        await sdk.setDoc(sdk.doc(db, 'users', entry.op.entityId), inFullSdkValues(entry.document ?? {}), { merge: true });
      }
    });
    reference.opened.close();
    await emulator.wipe();

    const engine = await openSession();
    const engineReplay = await measure(() => engine.session.replay({ batchSize, concurrency }));
    engine.opened.close();
    const summary = engineReplay.result;
    if (summary.counts.applied !== operations) throw new Error(`replay applied ${summary.counts.applied} of ${operations}`);

    // Plan: one awaited getDoc per op (what a naive port would do) vs the engine's bulk reads.
    const planning = await openSession();
    const ids = planning.session.analyze()?.operations.map((op) => op.entityId) ?? [];
    const perOpPlan = await measure(async () => {
      for (const id of ids) await sdk.getDocFromServer(sdk.doc(db, 'users', id));
    });
    const enginePlan = await measure(() => planning.session.plan());
    planning.opened.close();
    const plan = enginePlan.result;
    if (plan.totals['already-applied'] !== operations) throw new Error(`plan saw ${plan.totals['already-applied']} already-applied of ${operations}`);

    console.log(
      `replay ${operations} ops: ${describe('reference loop', referenceReplay)}; ${describe('engine', engineReplay)}` +
        ` [${summary.batchesCommitted} batches of <= ${batchSize}, ${concurrency} in flight] -> ${(referenceReplay.ms / engineReplay.ms).toFixed(1)}x (goal >= 30x)`,
    );
    console.log(
      `plan ${operations} ops: ${describe('getDoc per op', perOpPlan)}; ${describe('engine', enginePlan)}` +
        ` [${plan.remoteReads} requests] -> ${(perOpPlan.ms / enginePlan.ms).toFixed(1)}x (goal >= 20x)`,
    );
    // What the emulator's own CPU allows: the reference's emulator CPU over the engine's, and over
    // the engine's spread on every core the machine has (the JVM serves requests in parallel).
    const cores = availableParallelism();
    console.log(
      `emulator CPU bound: replay ${(referenceReplay.ms / (engineReplay.emulatorMs / cores)).toFixed(1)}x at best on ${cores} cores` +
        ` (reference wall / engine emulator CPU per core), plan ${(perOpPlan.ms / (enginePlan.emulatorMs / cores)).toFixed(1)}x`,
    );
  } finally {
    await fullSdk.terminate(db);
    await deleteApp(referenceApp);
    await engineConnection.close();
    await emulator.stop();
    cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench/replay: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
