// A real worker thread behind an RpcEndpoint, wired as the extension wires its workers: the tests
// of the database and sync workers start one in `before` and close it in `after`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { RpcEndpoint } from '../../core/protocol/rpc';

export interface WorkerThread {
  readonly endpoint: RpcEndpoint;
  /** Closes the endpoint and terminates the thread. */
  close(): Promise<void>;
}

function connected(worker: Worker): WorkerThread {
  const endpoint = new RpcEndpoint((message) => worker.postMessage(message));
  worker.on('message', (message: unknown) => endpoint.receive(message));
  return {
    endpoint,
    close: async () => {
      endpoint.close();
      await worker.terminate();
    },
  };
}

/** A bundle from dist/ (scripts/build.mjs), exactly what the extension ships. */
export function builtWorkerThread(script: string): WorkerThread {
  assert.ok(existsSync(script), `${script} is missing: run npm run build first`);
  return connected(new Worker(script));
}

/** A worker's TypeScript source: tsx's CommonJS hook is registered inside the thread first. */
export function sourceWorkerThread(source: string): WorkerThread {
  return connected(new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true }));
}
