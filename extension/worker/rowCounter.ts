// The database worker's side of its counting thread (rowCounterWorker.ts). The thread starts with
// the first file opened; if it dies, the next request starts a new one and reopens the open files.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RowCounterProtocol, type CountRowsParams } from '../../core/protocol/rowCounter';
import type { WorkerLog } from '../../core/protocol/workerLog';
import type { TableRowCount } from '../../core/db/types';
import { WorkerClient } from '../workerClient';

const counterLimits = { maxOldGenerationSizeMb: 4096 };

/** The bundle beside this one in dist/; or the TypeScript source, when tests run it through tsx. */
function startCounterThread(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'rowCounterWorker.js'), { resourceLimits: counterLimits });
  const source = join(__dirname, 'rowCounterWorker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, resourceLimits: counterLimits });
}

export class RowCounter {
  /** The database worker exits when its port closes; a counter still running must not keep it alive. */
  private readonly thread: WorkerClient;
  /** What the counter must have open: reopened in a new thread after a crash. */
  private readonly openFiles = new Set<string>();

  /** `log`: where the thread's own lines go (the database worker forwards them to the extension host). */
  constructor(log?: WorkerLog) {
    this.thread = new WorkerClient({ name: 'the row counter', start: startCounterThread, unref: true, log });
    this.thread.onStarted((endpoint) => {
      for (const path of this.openFiles) void endpoint.sendRequest(RowCounterProtocol.open, { path }).catch(() => undefined);
    });
  }

  open(path: string): Promise<void> {
    const endpoint = this.thread.endpoint;
    this.openFiles.add(path);
    return endpoint.sendRequest(RowCounterProtocol.open, { path });
  }

  async close(path: string): Promise<void> {
    const endpoint = this.thread.running;
    if (!this.openFiles.delete(path) || !endpoint) return;
    await endpoint.sendRequest(RowCounterProtocol.close, { path });
  }

  countTables(path: string, tables: readonly string[]): Promise<TableRowCount[]> {
    return this.thread.endpoint.sendRequest(RowCounterProtocol.countTables, { path, tables });
  }

  countRows(params: CountRowsParams): Promise<number> {
    return this.thread.endpoint.sendRequest(RowCounterProtocol.countRows, params);
  }
}
