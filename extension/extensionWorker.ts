import { Worker } from 'node:worker_threads';
import { log } from './log';
import { WorkerClient } from './workerClient';

/**
 * A thread of the extension host (the database worker, the sync worker) from its bundle in dist/:
 * it logs to the SyncLens output channel and may grow to 4 GiB of heap.
 */
export function extensionWorker(name: string, scriptPath: string): WorkerClient {
  return new WorkerClient({ name, start: () => new Worker(scriptPath, { resourceLimits: { maxOldGenerationSizeMb: 4096 } }), log: log() });
}
