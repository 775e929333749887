// Replay and plan of 10,000 queued ops against a private Firestore emulator, at each round-trip
// time of `--rtt 0,20,50` (default 0,50; also SYNCLENS_BENCH_RTT): the engine (bulk reads,
// pipelined batches, through Firestore Lite) beside the reference's loop (one awaited write / read
// per op through the full web SDK, as the app's SDK does it), same run. At RTT > 0 both go through
// the latency proxy (scripts/latencyProxy.ts); at 0 they talk to the emulator on loopback.
// Goals (issue 13): at 50 ms replay >= 30x and plan >= 50x; at 0 ms replay >= 85% of the
// emulator-CPU bound and plan >= 20x. Prints figures; asserts nothing about time.
// The emulator-CPU bound is the engine replay's emulator CPU spread on the cores the machine had
// for it: all of them, less the CPU other processes took meanwhile (/proc/stat), so a shared
// machine's load is not counted as SyncLens's shortfall; SyncLens's own CPU is (it competes with
// the emulator for the same cores). On a quiet machine it is the emulator's CPU over every core.
//   SYNCLENS_BENCH_OPS, SYNCLENS_BENCH_BATCH, SYNCLENS_BENCH_CONCURRENCY  size and shape of the run
//   SYNCLENS_BENCH_REFERENCE_OPS  ops the reference runs at RTT > 0 (default 1,000), scaled per op
//   SYNCLENS_BENCH_JITTER_MS  jitter of the proxy (default 0)
//   SYNCLENS_BENCH_WARMUP_ROUNDS, SYNCLENS_BENCH_WARMUP_OPS, SYNCLENS_BENCH_WARMUP_PLANS  warm-up rounds (8),
//     each one's engine replay (5,000 ops) and its plans (2)
//   SYNCLENS_BENCH_TRACE=1  time each engine request
// Nothing is measured cold: the emulator's JVM and this process's JIT are warmed first on every path
// both sides take (warmUp), since the first 5,000 writes cost the emulator 10x the CPU of later ones
// and the engine's first replay in a process about twice its later CPU (compiling, not working).
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
import { startLatencyProxy, type LatencyProxy } from '../scripts/latencyProxy';
import { scratchDir, sqlite3 } from '../tests/helpers/sqliteCli';
import { errorMessage } from '../core/errors';

const operations = Number(process.env.SYNCLENS_BENCH_OPS ?? 10_000);
const base = Date.UTC(2026, 10, 20, 9, 0, 0);
const batchSize = Number(process.env.SYNCLENS_BENCH_BATCH ?? 500);
const concurrency = process.env.SYNCLENS_BENCH_CONCURRENCY ? Number(process.env.SYNCLENS_BENCH_CONCURRENCY) : undefined;
const referenceOpsAtLatency = Number(process.env.SYNCLENS_BENCH_REFERENCE_OPS ?? 1_000);
const jitterMs = Number(process.env.SYNCLENS_BENCH_JITTER_MS ?? 0);
/** Ops of each warm-up round's engine replay and plans (8 rounds by default): both JITs settle within them. */
const engineWarmupOps = Number(process.env.SYNCLENS_BENCH_WARMUP_OPS ?? 5_000);
/** Plans of each warm-up round's queue (SYNCLENS_BENCH_WARMUP_PLANS). */
const warmupPlansPerRound = Number(process.env.SYNCLENS_BENCH_WARMUP_PLANS ?? 2);

/** `--rtt 0,20,50` (or `--rtt=...`, or SYNCLENS_BENCH_RTT); 0,50 by default. */
function roundTripTimes(argv: readonly string[]): number[] {
  const flag = argv.findIndex((arg) => arg === '--rtt' || arg.startsWith('--rtt='));
  const text = flag < 0 ? (process.env.SYNCLENS_BENCH_RTT ?? '0,50') : argv[flag]!.startsWith('--rtt=') ? argv[flag]!.slice(6) : (argv[flag + 1] ?? '');
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new Error(`--rtt wants comma-separated milliseconds >= 0, like 0,20,50; got '${text}'`);
  }
  return [...new Set(values)];
}

function writeDatabase(path: string, count = operations, idPrefix = 'user'): void {
  // Built by SQLite itself: a recursive CTE makes the rows and their create ops.
  sqlite3(path, `
    CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT NOT NULL UNIQUE, email TEXT NOT NULL, name TEXT NOT NULL, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL, isSynced INTEGER NOT NULL DEFAULT 0, isDeleted INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1);
    CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT NOT NULL, entityId TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT, createdAt TEXT NOT NULL, retryCount INTEGER NOT NULL DEFAULT 0, lastAttempt TEXT, lastError TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
    INSERT INTO users (odid, email, name, createdAt, updatedAt)
      SELECT printf('${idPrefix}%06d', i), printf('user%d@example.com', i), printf('User %d', i),
             strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000}, 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%fZ', ${base / 1000} + i, 'unixepoch') FROM n;
    INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt)
      SELECT 'users', odid, 'create', json_object('odid', odid, 'email', email, 'name', name, 'createdAt', createdAt, 'updatedAt', updatedAt, 'isDeleted', json('false'), 'version', version), updatedAt FROM users ORDER BY id;
  `);
}

/**
 * The engine's own paths, as the measured run takes them: a replay and then plans of a smaller queue
 * of the same shape (its own ids), through the engine's client. It warms the emulator's handling of
 * the engine's requests and this process's JIT for the engine's code (the first replay in a fresh
 * process spent about twice the CPU of the later ones, on compiling), as the reference's warm-up
 * below does for the full SDK's setDoc and getDoc.
 */
async function engineWarmup(connection: FirestoreConnection, round: number | string, dir: string, emulatorPid: number): Promise<{ replayCpuUsPerOp: number; planEmulatorUsPerDoc: number }> {
  const path = join(dir, `warmup-${round}.db`);
  writeDatabase(path, engineWarmupOps, `warm${round}-`);
  const withSession = async <T>(work: (session: SyncSession) => Promise<T>): Promise<T> => {
    const opened = await openDatabaseFile(path);
    try {
      return await work(new SyncSession(opened.db, detectRoles(opened.db, readSchema(opened.db)), createFirestoreRemote(connection, { timeoutMs: 120_000 }), { now: () => base + 86_400_000 }));
    } finally {
      opened.close();
    }
  };
  const cpuBefore = process.cpuUsage();
  const replayed = await withSession((session) => session.replay({ batchSize }));
  const cpu = process.cpuUsage(cpuBefore);
  if (replayed.counts.applied !== engineWarmupOps) throw new Error(`warm-up replay applied ${replayed.counts.applied} of ${engineWarmupOps}`);
  // Several plans: the emulator's query path settles only after some 100,000 documents read (a
  // plan of 10,000 cost it 0.5 ms a document at first, under 0.1 once warm); the last one's cost
  // is printed, so a run shows whether it had settled.
  let planEmulatorMs = 0;
  for (let plan = 0; plan < warmupPlansPerRound; plan++) {
    const emulatorBefore = emulatorCpuMs(emulatorPid);
    await withSession((session) => session.plan());
    planEmulatorMs = emulatorCpuMs(emulatorPid) - emulatorBefore;
  }
  return { replayCpuUsPerOp: (cpu.user + cpu.system) / engineWarmupOps, planEmulatorUsPerDoc: (1000 * planEmulatorMs) / engineWarmupOps };
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

/**
 * CPU milliseconds every process on the machine has used so far (/proc/stat: all but idle and
 * iowait), to tell how much of the cores other processes took while a step ran.
 */
function machineBusyMs(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return ((ticks.reduce((sum, tick) => sum + tick, 0) - idle) * 1000) / 100;
}

/** CPU milliseconds a process (or a thread: /proc/<pid>/task/<tid>) has used so far (utime + stime). */
function cpuMsOf(procPath: string): number {
  const fields = readFileSync(`${procPath}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** CPU milliseconds the emulator's JVM has used so far. */
const emulatorCpuMs = (pid: number): number => cpuMsOf(`/proc/${pid}`);
/**
 * CPU milliseconds this process's main thread has used so far: the rest of the process's CPU is
 * V8's own threads (concurrent compiling and collecting) and libuv's.
 */
const mainThreadCpuMs = (): number => cpuMsOf(`/proc/self/task/${process.pid}`);

async function trace<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    console.log(`  ${label}: ${(performance.now() - started).toFixed(0)} ms`);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

interface RttFigures {
  rttMs: number;
  replay: { engineMs: number; referenceMs: number };
  plan: { engineMs: number; referenceMs: number };
  /**
   * Engine replay's emulator CPU over the CPU the machine's cores had for it in its wall time (all
   * of it, less what other processes took), so only meaningful at 0 ms.
   */
  boundShare: number;
}

async function main(): Promise<void> {
  const rtts = roundTripTimes(process.argv.slice(2));
  const unavailable = emulatorUnavailableReason();
  if (unavailable) {
    console.log(`skipped: ${unavailable}`);
    return;
  }
  const { dir, cleanup } = scratchDir('synclens-bench-replay-');
  const emulator = await startFirestoreEmulator({ projectId: 'demo-synclens-bench' });
  const cores = availableParallelism();
  const figures: RttFigures[] = [];
  try {
    await warmUp(emulator, dir);
    await emulator.wipe();
    for (const rttMs of rtts) {
      const proxy = rttMs > 0 ? await startLatencyProxy({ targetHost: emulator.host, targetPort: emulator.port, rttMs, jitterMs }) : null;
      try {
        figures.push(await measureAt(rttMs, proxy, dir, emulator, cores));
      } finally {
        await proxy?.close();
      }
      await emulator.wipe();
    }
  } finally {
    await emulator.stop();
    cleanup();
  }
  for (const { rttMs, replay, plan } of figures) {
    console.log(`replay at ${rttMs} ms RTT: ${(replay.referenceMs / replay.engineMs).toFixed(1)}x the reference loop (${(replay.engineMs / 1000).toFixed(2)} s vs ${(replay.referenceMs / 1000).toFixed(2)} s)`);
    console.log(`plan at ${rttMs} ms RTT: ${(plan.referenceMs / plan.engineMs).toFixed(1)}x one read per op (${(plan.engineMs / 1000).toFixed(2)} s vs ${(plan.referenceMs / 1000).toFixed(2)} s)`);
  }
  const atZero = figures.find((entry) => entry.rttMs === 0);
  console.log(atZero ? `replay at 0 ms RTT: ${(atZero.boundShare * 100).toFixed(0)}% of the emulator-CPU bound` : 'replay at 0 ms RTT: not measured (0 is not in --rtt)');
}

/** The reference app on the full SDK, connected to host:port. */
function referenceClient(host: string, port: number, projectId: string, name: string) {
  const app = initializeApp({ projectId, apiKey: 'synclens-bench' }, name);
  const db = fullSdk.initializeFirestore(app, {});
  fullSdk.connectFirestoreEmulator(db, host, port);
  fullSdk.setLogLevel('silent');
  return {
    db,
    close: async () => {
      await fullSdk.terminate(db);
      await deleteApp(app);
    },
  };
}

/**
 * A reference client with its connection to the server open (one write and one read outside the
 * measured loop), so that its loop times ops, not the client's start.
 */
async function primedReferenceClient(host: string, port: number, projectId: string, name: string): Promise<ReturnType<typeof referenceClient>> {
  const client = referenceClient(host, port, projectId, name);
  const primer = fullSdk.doc(client.db, 'warmup', 'primer');
  await fullSdk.setDoc(primer, { at: fullSdk.Timestamp.fromMillis(base) }, { merge: true });
  await fullSdk.getDocFromServer(primer);
  return client;
}

/**
 * The emulator is a JVM: it runs cold for its first few thousand documents (the first 5,000
 * batched writes took 10x the CPU of later ones); so does this process's JIT for the engine. Warm
 * every path both sides use with volume, on loopback; the round times and the engine's CPU per op
 * show whether they have settled before anything is measured.
 */
async function warmUp(emulator: { host: string; port: number; projectId: string; pid: number; wipe(): Promise<void> }, dir: string): Promise<void> {
  const { host, port, projectId } = emulator;
  const sdk = fullSdk;
  const { db, close } = referenceClient(host, port, projectId, 'synclens-bench-warmup');
  const engineConnection = await connectFirestore({ kind: 'emulator', host, port, projectId });
  try {
    const warmupRounds = Number(process.env.SYNCLENS_BENCH_WARMUP_ROUNDS ?? 8);
    const roundMs: number[] = [];
    const engineCpuPerOp: number[] = [];
    const planReadCpuPerDoc: number[] = [];
    for (let round = 0; round < warmupRounds; round++) {
      const started = performance.now();
      const warm = sdk.writeBatch(db);
      for (let i = 0; i < 500; i++) warm.set(sdk.doc(db, 'warmup', `w${i}`), { round, i, at: sdk.Timestamp.fromMillis(base + i), name: `w${i}` }, { merge: true });
      await warm.commit();
      for (let i = 0; i < 100; i++) await sdk.setDoc(sdk.doc(db, 'warmup', `s${i}`), { round, at: sdk.Timestamp.fromMillis(base) }, { merge: true });
      for (let i = 0; i < 100; i++) await sdk.getDocFromServer(sdk.doc(db, 'warmup', `w${i}`));
      const engine = await engineWarmup(engineConnection, round, dir, emulator.pid);
      engineCpuPerOp.push(engine.replayCpuUsPerOp);
      planReadCpuPerDoc.push(engine.planEmulatorUsPerDoc);
      roundMs.push(performance.now() - started);
      // Each round's plan then scans a collection holding just its own queue, as the measured plan does.
      await emulator.wipe();
    }
    console.log(`warm-up rounds (ms): ${roundMs.map((ms) => ms.toFixed(0)).join(' ')}`);
    console.log(`  the engine's replay CPU in them (µs/op, ${engineWarmupOps} ops each): ${engineCpuPerOp.map((us) => us.toFixed(0)).join(' ')}`);
    console.log(`  the emulator's CPU for their last plan (µs/document): ${planReadCpuPerDoc.map((us) => us.toFixed(0)).join(' ')}`);
  } finally {
    await close();
    await engineConnection.close();
  }
}

async function measureAt(
  rttMs: number,
  proxy: LatencyProxy | null,
  dir: string,
  emulator: { host: string; port: number; projectId: string; pid: number; wipe(): Promise<void> },
  cores: number,
): Promise<RttFigures> {
  const sdk = fullSdk;
  const host = proxy?.host ?? emulator.host;
  const port = proxy?.port ?? emulator.port;
  const target = { kind: 'emulator' as const, host, port, projectId: emulator.projectId };
  const engineConnection = await connectFirestore(target);
  const referenceOps = rttMs > 0 ? Math.min(operations, referenceOpsAtLatency) : operations;
  const scale = operations / referenceOps;
  console.log(
    `\n${rttMs} ms RTT (${proxy ? `latency proxy on 127.0.0.1:${proxy.port}, jitter ${jitterMs} ms` : 'loopback to the emulator'}):` +
      (referenceOps < operations ? ` the reference runs ${referenceOps} of ${operations} ops, its time scaled per op (x${scale})` : ''),
  );
  try {
    const path = join(dir, `bench-${rttMs}.db`);
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

    // Wall time and the emulator's CPU time of one measured step: the emulator's CPU per
    // document is the floor under any client-side strategy.
    // The CPU of every other process on the machine too (othersMs): on a shared machine what
    // they took was never the emulator's to use.
    // No forced collection (gc()) before a step: one made V8 drop much of the engine's optimized
    // code, and its replay then spent 0.3-0.5 s more CPU recompiling on V8's threads (a probe counted
    // about 70 TurboFan compiles in it, against 15 without). A step pays for the garbage before it
    // only by sweeping it; what a collector marks is live objects, and the reference's are released below.
    const measure = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number; emulatorMs: number; clientMs: number; mainThreadMs: number; othersMs: number }> => {
      const mainBefore = mainThreadCpuMs();
      const cpuBefore = emulatorCpuMs(emulator.pid);
      const clientBefore = process.cpuUsage();
      const machineBefore = machineBusyMs();
      const started = performance.now();
      const result = await work();
      const client = process.cpuUsage(clientBefore);
      const emulatorMs = emulatorCpuMs(emulator.pid) - cpuBefore;
      const clientMs = (client.user + client.system) / 1000;
      const othersMs = Math.max(0, machineBusyMs() - machineBefore - emulatorMs - clientMs);
      return { result, ms: performance.now() - started, emulatorMs, clientMs, mainThreadMs: mainThreadCpuMs() - mainBefore, othersMs };
    };
    /** One measured loop of the reference's, in a client of its own that is closed after it. */
    const referenceLoop = async (name: string, loop: (db: fullSdk.Firestore) => () => Promise<void>) => {
      const client = await primedReferenceClient(host, port, emulator.projectId, name);
      try {
        return await measure(loop(client.db));
      } finally {
        await client.close();
      }
    };
    const perDoc = (ms: number, count: number): string => `${(ms / count).toFixed(3)} ms/doc`;
    const describe = (label: string, step: { ms: number; emulatorMs: number; clientMs: number; mainThreadMs: number }, count = operations): string =>
      `${label} ${seconds(step.ms)} for ${count} (emulator CPU ${seconds(step.emulatorMs)}, ${perDoc(step.emulatorMs, count)};` +
      ` this process's CPU ${seconds(step.clientMs)}, ${seconds(step.mainThreadMs)} of it on the main thread)`;

    // The engine's steps first, right after a warm-up round of its own (each RTT's steps follow
    // the previous RTT's reference loops, tens of seconds of another workload in this process),
    // then the reference's. Measured after the reference's loops, the engine's replay spent
    // 0.6-1.0 s of CPU from run to run; its JIT and heap then held what those loops left.
    const rewarm = await engineWarmup(engineConnection, `rtt${rttMs}-`, dir, emulator.pid);
    console.log(`  the engine's warm-up round before its steps: replay CPU ${rewarm.replayCpuUsPerOp.toFixed(0)} µs/op`);
    await emulator.wipe();
    const engine = await openSession();
    const engineReplay = await measure(() => engine.session.replay({ batchSize, ...(concurrency ? { concurrency } : {}) }));
    engine.opened.close();
    const summary = engineReplay.result;
    if (summary.counts.applied !== operations) throw new Error(`replay applied ${summary.counts.applied} of ${operations}`);
    // Plan: the engine's bulk reads of the documents its replay wrote, vs one awaited getDoc per op
    // (what a naive port would do) of the same documents as the reference wrote them.
    const planning = await openSession();
    const enginePlan = await measure(() => planning.session.plan());
    planning.opened.close();
    const plan = enginePlan.result;
    if (plan.totals['already-applied'] !== operations) throw new Error(`plan saw ${plan.totals['already-applied']} already-applied of ${operations}`);
    const planned = plan.operations.slice(0, referenceOps);
    await emulator.wipe();

    // The reference's SyncService: for each pending op, await save() (one set with merge). Its
    // client is reachable from referenceLoop only while it runs: the full SDK caches every
    // document it wrote, and even after terminate() a client held here kept its 10,003 documents
    // live through the engine's step (a heap snapshot), whose two full collections then marked
    // 85-91 MB instead of about 40.
    const referenceReplay = await referenceLoop(`synclens-bench-reference-replay-${rttMs}`, (db) => async () => {
      for (const entry of planned) await sdk.setDoc(sdk.doc(db, 'users', entry.op.entityId), inFullSdkValues(entry.document ?? {}), { merge: true });
    });
    const perOpPlan = await referenceLoop(`synclens-bench-reference-plan-${rttMs}`, (db) => async () => {
      for (const entry of planned) await sdk.getDocFromServer(sdk.doc(db, 'users', entry.op.entityId));
    });

    const referenceReplayMs = referenceReplay.ms * scale;
    const perOpPlanMs = perOpPlan.ms * scale;
    console.log(
      `replay ${operations} ops: ${describe('reference loop', referenceReplay, referenceOps)}; ${describe('engine', engineReplay)}` +
        ` [${summary.batchesCommitted} batches of <= ${batchSize}] -> ${(referenceReplayMs / engineReplay.ms).toFixed(1)}x`,
    );
    console.log(
      `plan ${operations} ops: ${describe('getDoc per op', perOpPlan, referenceOps)}; ${describe('engine', enginePlan)}` +
        ` [${plan.remoteReads} requests] -> ${(perOpPlanMs / enginePlan.ms).toFixed(1)}x`,
    );
    // What the emulator's own CPU allows: the engine's emulator CPU spread on the cores it could
    // have had (the JVM serves requests in parallel). On a quiet machine that is every core; on a
    // shared one the CPU other processes took meanwhile was never the emulator's, so the cores are
    // counted less that share (SyncLens's own CPU still counts against it: it competes with the
    // emulator for the same cores). Quiet, both bounds are the same.
    const coresLeft = (step: { ms: number; othersMs: number }): number => Math.max(0.1, cores - step.othersMs / step.ms);
    const boundMs = engineReplay.emulatorMs / coresLeft(engineReplay);
    const quietBoundMs = engineReplay.emulatorMs / cores;
    console.log(
      `emulator CPU bound: replay ${(referenceReplayMs / boundMs).toFixed(1)}x at best on the ${coresLeft(engineReplay).toFixed(2)} of ${cores} cores other processes left` +
        ` (reference wall / engine emulator CPU per core; ${(referenceReplayMs / quietBoundMs).toFixed(1)}x on all ${cores}: ${((100 * quietBoundMs) / engineReplay.ms).toFixed(0)}% of that bound;` +
        ` other processes' CPU ${seconds(engineReplay.othersMs)}), plan ${(perOpPlanMs / (enginePlan.emulatorMs / coresLeft(enginePlan))).toFixed(1)}x`,
    );
    return {
      rttMs,
      replay: { engineMs: engineReplay.ms, referenceMs: referenceReplayMs },
      plan: { engineMs: enginePlan.ms, referenceMs: perOpPlanMs },
      boundShare: boundMs / engineReplay.ms,
    };
  } finally {
    await engineConnection.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench/replay: ${errorMessage(error)}`);
  process.exitCode = 1;
});
