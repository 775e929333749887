// The secrets scan's own thread: a whole-database scan reads every row, so it never runs on the
// extension host's event loop, and a scan of a large file does not hold up the grid's pages in the
// database worker.
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../core/errors';
import { RpcEndpoint } from '../../core/protocol/rpc';
import { SecretsWorkerProtocol, type SecretsScanView } from '../../core/protocol/secretsScan';
import { scanDatabaseFile } from '../../core/scan/scanDatabase';

const port = parentPort;
if (!port) throw new Error('scanWorker.js runs only as a worker thread');

const endpoint = new RpcEndpoint((message) => port.postMessage(message));
port.on('message', (message: unknown) => endpoint.receive(message));

endpoint.onRequest(SecretsWorkerProtocol.scan, async ({ path }): Promise<SecretsScanView> => {
  const started = Date.now();
  try {
    const result = await scanDatabaseFile(path);
    return { status: 'scanned', fileName: basename(path), ...result, elapsedMs: Date.now() - started };
  } catch (error) {
    return { status: 'failed', fileName: basename(path), error: errorMessage(error) };
  }
});
