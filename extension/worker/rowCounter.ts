// The database worker's side of its counting thread (rowCounterWorker.ts). The thread starts with
// the first file opened; if it dies, the next request starts a new one and reopens the open files.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RpcEndpoint } from '../../core/protocol/rpc';
import { RowCounterProtocol, type CountRowsParams } from '../../core/protocol/rowCounter';
import type { TableRowCount } from '../../core/db/types';

const counterLimits = { maxOldGenerationSizeMb: 4096 };

/** The bundle beside this one in dist/; or the TypeScript source, when tests run it through tsx. */
function startCounterThread(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'rowCounterWorker.js'), { resourceLimits: counterLimits });
  const source = join(__dirname, 'rowCounterWorker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true, resourceLimits: counterLimits });
}

export class RowCounter {
  private current: { worker: Worker; endpoint: RpcEndpoint } | undefined;
  /** What the counter must have open: reopened in a new thread after a crash. */
  private readonly openFiles = new Set<string>();

  open(path: string): Promise<void> {
    const endpoint = this.endpoint();
    this.openFiles.add(path);
    return endpoint.sendRequest(RowCounterProtocol.open, { path });
  }

  async close(path: string): Promise<void> {
    if (!this.openFiles.delete(path) || !this.current) return;
    await this.current.endpoint.sendRequest(RowCounterProtocol.close, { path });
  }

  countTables(path: string, tables: readonly string[]): Promise<TableRowCount[]> {
    return this.endpoint().sendRequest(RowCounterProtocol.countTables, { path, tables });
  }

  countRows(params: CountRowsParams): Promise<number> {
    return this.endpoint().sendRequest(RowCounterProtocol.countRows, params);
  }

  private endpoint(): RpcEndpoint {
    if (this.current) return this.current.endpoint;
    const worker = startCounterThread();
    // The database worker exits when its port closes; a counter still running must not keep it alive.
    worker.unref();
    const endpoint = new RpcEndpoint((message) => worker.postMessage(message));
    worker.on('message', (message: unknown) => endpoint.receive(message));
    let failure = '';
    worker.on('error', (error) => {
      failure = `: ${error.message}`;
    });
    worker.on('exit', (code) => {
      endpoint.close(`the row counter stopped (exit code ${code})${failure}`);
      if (this.current?.endpoint === endpoint) this.current = undefined;
    });
    this.current = { worker, endpoint };
    for (const path of this.openFiles) void endpoint.sendRequest(RowCounterProtocol.open, { path }).catch(() => undefined);
    return endpoint;
  }
}
