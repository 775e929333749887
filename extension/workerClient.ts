// The one client of a worker_threads thread that answers an RpcEndpoint: the extension's database
// and sync workers, and the database worker's row counter. The thread starts on the first request,
// not before; when it dies, the requests waiting on it fail and the next one starts a new thread.
// No `vscode` here: the row counter's client runs inside the database worker.
import type { Worker } from 'node:worker_threads';
import { RpcEndpoint } from '../core/protocol/rpc';
import { receiveWorkerLog, type WorkerLog } from '../core/protocol/workerLog';

export interface WorkerClientOptions {
  /** Who the thread is, in messages: "the database worker". */
  readonly name: string;
  /** Starts the thread: its bundle in dist/, or its TypeScript source through tsx in tests. */
  readonly start: () => Worker;
  /** The thread does not keep this one alive (a thread's own helper thread). */
  readonly unref?: boolean;
  /** Where the client's lines and the thread's own (core/protocol/workerLog.ts) go. */
  readonly log?: WorkerLog;
}

export class WorkerClient {
  private current: { worker: Worker; endpoint: RpcEndpoint } | undefined;
  private started = false;
  private readonly startListeners = new Set<(endpoint: RpcEndpoint) => void>();
  private readonly restartListeners = new Set<() => void>();

  constructor(private readonly options: WorkerClientOptions) {}

  /** The running thread's endpoint; starts one when there is none. */
  get endpoint(): RpcEndpoint {
    if (this.current) return this.current.endpoint;
    const { name, log } = this.options;
    const worker = this.options.start();
    if (this.options.unref) worker.unref();
    const endpoint = new RpcEndpoint((message) => worker.postMessage(message));
    worker.on('message', (message: unknown) => endpoint.receive(message));
    if (log) receiveWorkerLog(endpoint, log);
    let failure = '';
    worker.on('error', (error) => {
      failure = `: ${error.message}`;
      log?.error(`${name} failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      endpoint.close(`${name} stopped (exit code ${code})${failure}`);
      if (this.current?.endpoint === endpoint) this.current = undefined;
    });
    this.current = { worker, endpoint };
    const restarted = this.started;
    this.started = true;
    log?.info(`${name} started`);
    for (const listener of this.startListeners) listener(endpoint);
    if (restarted) for (const listener of this.restartListeners) listener();
    return endpoint;
  }

  /** The endpoint when a thread runs now, without starting one. */
  get running(): RpcEndpoint | undefined {
    return this.current?.endpoint;
  }

  /** Runs on every new thread, before any request is sent to it (e.g. reopen files it must hold). */
  onStarted(listener: (endpoint: RpcEndpoint) => void): { dispose(): void } {
    this.startListeners.add(listener);
    return { dispose: () => this.startListeners.delete(listener) };
  }

  /** Fires when a new thread replaced one that died: what the old one held must be reopened. */
  onRestarted(listener: () => void): { dispose(): void } {
    this.restartListeners.add(listener);
    return { dispose: () => this.restartListeners.delete(listener) };
  }

  dispose(reason = 'SyncLens is shutting down'): void {
    const current = this.current;
    this.current = undefined;
    current?.endpoint.close(reason);
    void current?.worker.terminate();
    this.startListeners.clear();
    this.restartListeners.clear();
  }
}
