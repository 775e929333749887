// The main thread's view of bound databases: schema snapshots cached per file (reloaded when the
// file or its -wal changes), statement checks, and runs — all done by worker threads.
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { findConfigFor } from '../../core/config/load';
import type { BackupLocation } from '../../core/db/writeBack';
import { CodedError, type ErrorCode } from '../../core/errors';
import type { RunStatementResult } from '../../core/protocol/languageServer';
import type { SchemaSnapshot, StatementCheck, WorkerMessage, WorkerRequest, WorkerResponse, WorkerRole } from './workerProtocol';

type Pending = { resolve: (response: WorkerResponse) => void; reject: (error: Error) => void };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type SnapshotOutcome = { kind: 'loaded'; snapshot: SchemaSnapshot } | { kind: 'failed'; code: ErrorCode; message: string };

interface CacheEntry {
  stamp: string;
  outcome: Promise<SnapshotOutcome>;
}

/** A worker thread answering requests by id. */
class WorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(entry: string, role: WorkerRole, log: (line: string) => void) {
    this.worker = new Worker(entry, { workerData: role });
    this.worker.on('message', (response: WorkerMessage) => {
      if (response.kind === 'log') {
        log(response.message);
        return;
      }
      const pending = this.pending.get(response.id);
      this.pending.delete(response.id);
      pending?.resolve(response);
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the database worker stopped (exit code ${code})`)));
    this.worker.unref();
  }

  request(request: DistributiveOmit<WorkerRequest, 'id'>): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** Size and mtime of the database, its -wal and its synclens.json: a change to any means a new snapshot. */
async function stampOf(path: string): Promise<string> {
  const parts: string[] = [];
  const config = findConfigFor(path);
  parts.push(config ?? 'no config');
  for (const file of [path, `${path}-wal`, ...(config ? [config] : [])]) {
    try {
      const stats = await stat(file);
      parts.push(`${stats.size}:${stats.mtimeMs}`);
    } catch {
      parts.push('-');
    }
  }
  return parts.join('|');
}

export class SchemaService {
  private readonly schemaWorker: WorkerClient;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly runs = new Set<WorkerClient>();

  /** `entry` is the script a worker thread starts (the bundled server itself); `log` takes the workers' log lines. */
  constructor(
    private readonly entry: string,
    private readonly log: (line: string) => void,
  ) {
    this.schemaWorker = new WorkerClient(entry, { synclensWorker: 'schema' }, log);
  }

  /** The snapshot for `path`, loading it when the file changed since it was last read. */
  async snapshot(path: string): Promise<SnapshotOutcome> {
    const stamp = await stampOf(path);
    const cached = this.cache.get(path);
    if (cached && cached.stamp === stamp) return cached.outcome;
    const outcome = this.schemaWorker.request({ kind: 'load', path }).then(
      (response): SnapshotOutcome =>
        response.kind === 'load' ? { kind: 'loaded', snapshot: response.snapshot } : failure(response),
      (error: Error): SnapshotOutcome => ({ kind: 'failed', code: 'internal', message: error.message }),
    );
    this.cache.set(path, { stamp, outcome });
    return outcome;
  }

  /** Drops what was read of `path` (its key was entered or forgotten): the next snapshot reads it again. */
  forget(path: string): void {
    this.cache.delete(path);
  }

  /** The last snapshot asked for, without checking the file (completion must not wait on disk). */
  cached(path: string): Promise<SnapshotOutcome> | undefined {
    return this.cache.get(path)?.outcome;
  }

  /** Prepares each statement against the schema-only copy of `path` (loaded by `snapshot`). */
  async check(path: string, statements: string[]): Promise<StatementCheck[]> {
    const response = await this.schemaWorker.request({ kind: 'check', path, statements });
    if (response.kind !== 'check') {
      const failed = failure(response);
      throw new CodedError(failed.code, failed.message);
    }
    return response.checks;
  }

  /** Runs one statement in a worker of its own, so a slow query holds up nothing else. */
  async run(
    request: { path: string; sql: string; rowLimit: number; write: boolean; allowLive: boolean; backupLocation: BackupLocation; resultFile: string | null },
    cancellation?: { isCancellationRequested: boolean; onCancellationRequested: (listener: () => void) => { dispose(): void } },
  ): Promise<RunStatementResult> {
    const worker = new WorkerClient(this.entry, { synclensWorker: 'run' }, this.log);
    this.runs.add(worker);
    // Stopping the thread is the only way to interrupt SQLite mid-query; a write is never
    // interrupted, since its file replacement must complete or not start.
    const stop = request.write ? undefined : cancellation?.onCancellationRequested(() => void worker.terminate());
    try {
      const cancelled: RunStatementResult = { kind: 'cancelled', database: request.path, sql: request.sql };
      if (cancellation?.isCancellationRequested && !request.write) return cancelled;
      const response = await worker.request({ kind: 'run', ...request }).catch((error: Error) => {
        if (cancellation?.isCancellationRequested) return null;
        throw error;
      });
      if (response === null) return cancelled;
      if (response.kind === 'run') return response.result;
      return { kind: 'error', database: request.path, sql: request.sql, message: failure(response).message };
    } finally {
      stop?.dispose();
      this.runs.delete(worker);
      await worker.terminate();
    }
  }

  async dispose(): Promise<void> {
    await Promise.all([this.schemaWorker.terminate(), ...[...this.runs].map((worker) => worker.terminate())]);
  }
}

function failure(response: WorkerResponse): SnapshotOutcome & { kind: 'failed' } {
  if (response.kind === 'failed') return { kind: 'failed', code: response.code, message: response.message };
  return { kind: 'failed', code: 'internal', message: `unexpected ${response.kind} answer from the database worker` };
}
