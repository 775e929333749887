import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { RpcEndpoint } from '../core/protocol/rpc';
import { log } from './log';

/**
 * The extension's side of the database worker. The thread (and with it SQLite's wasm) starts on the
 * first request, not on activation; if it dies, the next request starts a new one.
 */
export class DatabaseWorkerClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private current: RpcEndpoint | undefined;
  private readonly onRestartedEmitter = new vscode.EventEmitter<void>();
  /** Fires when a new thread replaced one that died: its databases must be reopened. */
  readonly onRestarted = this.onRestartedEmitter.event;
  private started = false;

  constructor(private readonly scriptPath: string) {}

  get endpoint(): RpcEndpoint {
    if (this.current) return this.current;
    const worker = new Worker(this.scriptPath, { resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    const endpoint = new RpcEndpoint((message) => worker.postMessage(message));
    worker.on('message', (message: unknown) => endpoint.receive(message));
    worker.on('error', (error) => log().error(`database worker failed: ${error.message}`));
    worker.on('exit', (code) => {
      endpoint.close(`the database worker stopped (exit code ${code})`);
      if (this.current === endpoint) {
        this.current = undefined;
        this.worker = undefined;
      }
    });
    if (this.started) this.onRestartedEmitter.fire();
    this.started = true;
    this.worker = worker;
    this.current = endpoint;
    log().info('database worker started');
    return endpoint;
  }

  dispose(): void {
    this.current?.close('SyncLens is shutting down');
    void this.worker?.terminate();
    this.worker = undefined;
    this.current = undefined;
    this.onRestartedEmitter.dispose();
  }
}
