// The one way a fuzz property runs: fast-check, seeded (the same cases on every `npm test`, any case
// replayable), shrinking a failure to its smallest input, with three limits on every case:
//   - its outcome: a right answer, or an error the CLI reports with a known code (never 'internal');
//   - its time: a case over `caseTimeLimitMs` fails (and shrinks); a case that never returns (a
//     synchronous loop no timer can interrupt) is caught by a watchdog thread, which names the case
//     and its seed on stderr and ends the process;
//   - its memory: what is still allocated after the case (JS heap, ArrayBuffers and SQLite's wasm
//     memory) may not grow by more than a bound proportional to the input's size.
// `npm test` runs each property a fixed number of times; `npm run test:fuzz-long` (scripts/fuzz-long.mjs)
// gives each a share of ten minutes with a fresh seed.
import { writeSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describeFailure } from '../../../core/cli/output';
import { errorCode, isErrorCode } from '../../../core/errors';

export interface FuzzProperty<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Cases in `npm test`. */
  readonly runs: number;
  /** Bytes the case's input holds (files written, text parsed): the memory bound grows with it. */
  readonly inputBytes: (input: T) => number;
  /** Throws (an assertion) when the answer is wrong; an error it lets through is judged as an outcome. */
  readonly check: (input: T) => unknown;
}

/** The seed of `npm test`'s cases; SYNCLENS_FUZZ_SEED (printed by every failure) replays others. */
const defaultSeed = 20261201;
const seed = process.env.SYNCLENS_FUZZ_SEED ? Number(process.env.SYNCLENS_FUZZ_SEED) : defaultSeed;
/** The fast-check path of a failure (printed with it): replays that one case. */
const replayPath = process.env.SYNCLENS_FUZZ_PATH;
/** Set by test:fuzz-long: milliseconds for each file's properties together. */
const longBudgetMs = process.env.SYNCLENS_FUZZ_FILE_BUDGET_MS ? Number(process.env.SYNCLENS_FUZZ_FILE_BUDGET_MS) : null;

/** A case slower than this fails: every target reads a few KiB, so even the slowest needs well under a second. */
const caseTimeLimitMs = 5_000;
/** A case still running after this is a hang: the watchdog ends the process. */
const hangLimitMs = 30_000;
/** What a case may leave allocated: a fixed allowance (SQLite's page cache, a snapshot's block cache) plus a multiple of its input. */
const memoryAllowanceBytes = 48 * 1024 * 1024;
const memoryBytesPerInputByte = 64;

/** Shared with the watchdog thread: [case counter, watched (1) or idle (0)] and the case's start time. */
const watchState = new Int32Array(new SharedArrayBuffer(8));
const watchStart = new Float64Array(new SharedArrayBuffer(8));
let watchdog: Worker | undefined;

const watchdogSource = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const [state, start, limit] = [new Int32Array(workerData.state), new Float64Array(workerData.start), workerData.limit];
let label = '';
require('node:worker_threads').parentPort.on('message', (text) => { label = text; });
setInterval(() => {
  if (Atomics.load(state, 1) === 1 && Date.now() - start[0] > limit) {
    writeSync(2, 'fuzz: case ' + Atomics.load(state, 0) + ' of ' + label + ' ran over ' + limit + ' ms (a hang). Replay: SYNCLENS_FUZZ_SEED=' + workerData.seed + ' SYNCLENS_FUZZ_PATH=' + (Atomics.load(state, 0) - 1) + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, 250).unref();
`;

function watch(label: string): void {
  if (!watchdog) {
    watchdog = new Worker(watchdogSource, { eval: true, workerData: { state: watchState.buffer, start: watchStart.buffer, limit: hangLimitMs, seed } });
    watchdog.unref();
  }
  watchdog.postMessage(label);
  Atomics.store(watchState, 0, 0);
}

function allocatedBytes(): number {
  const usage = process.memoryUsage();
  // `external` holds the ArrayBuffers and SQLite's wasm memory.
  return usage.heapUsed + usage.external;
}

/** An error a case may end in: one the CLI reports with its own code (corrupt, config, ...). */
export function assertTypedError(error: unknown): void {
  // The CLI's mapping, else the shared code union (core/errors.ts) an error carries.
  const carried = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const code = describeFailure(error).code !== 'internal' ? describeFailure(error).code : (errorCode(error) ?? (isErrorCode(carried) ? carried : undefined));
  if (code === undefined || code === 'internal') {
    throw new Error(`untyped error (the CLI would say 'internal'): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

async function runCase<T>(property: FuzzProperty<T>, input: T): Promise<void> {
  const before = allocatedBytes();
  const started = performance.now();
  Atomics.add(watchState, 0, 1);
  watchStart[0] = Date.now();
  Atomics.store(watchState, 1, 1);
  try {
    await property.check(input);
  } catch (error) {
    if (error instanceof Error && error.name === 'AssertionError') throw error;
    assertTypedError(error);
  } finally {
    Atomics.store(watchState, 1, 0);
  }
  const elapsed = performance.now() - started;
  if (elapsed > caseTimeLimitMs) throw new Error(`the case took ${elapsed.toFixed(0)} ms (limit ${caseTimeLimitMs} ms)`);
  const grown = allocatedBytes() - before;
  const bound = memoryAllowanceBytes + memoryBytesPerInputByte * property.inputBytes(input);
  if (grown > bound) throw new Error(`the case left ${(grown / 1048576).toFixed(1)} MiB more allocated (bound ${(bound / 1048576).toFixed(1)} MiB for its input)`);
}

/** A property with its input type erased, so that properties of different inputs share one list. */
export function fuzzProperty<T>(definition: FuzzProperty<T>): FuzzProperty<unknown> {
  return definition as unknown as FuzzProperty<unknown>;
}

/** Registers each property as a test of the current file. */
export function fuzzProperties(properties: readonly FuzzProperty<unknown>[]): void {
  for (const property of properties) {
    test(`${property.name} (seed ${seed})`, async () => {
      watch(property.name);
      const budget = longBudgetMs === null ? null : longBudgetMs / properties.length;
      const details = await fc.check(fc.asyncProperty(property.arbitrary, (input) => runCase(property, input)), {
        seed,
        path: replayPath,
        numRuns: budget === null ? property.runs : Number.MAX_SAFE_INTEGER,
        plugins: budget === null ? [] : [fc.interruptAfterTimeLimit(budget)],
      });
      if (details.failed) {
        const cause = details.errorInstance;
        throw new Error(
          `${property.name}: failed after ${details.numRuns} case(s), shrunk ${details.numShrinks} time(s) to\n` +
            `  ${fc.stringify(details.counterexample)}\n` +
            `replay it: SYNCLENS_FUZZ_SEED=${details.seed} SYNCLENS_FUZZ_PATH=${details.counterexamplePath ?? ''} node --import tsx --test ${process.argv[1] ?? ''}\n` +
            `the failure: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`,
        );
      }
      if (budget !== null) writeSync(2, `fuzz: ${property.name}: ${details.numRuns} cases in ${Math.round(budget / 1000)} s with seed ${seed}, no failure\n`);
    });
  }
}
