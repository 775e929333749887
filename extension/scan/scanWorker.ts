// The thread of the whole-database work, the secrets scan and the diff of two files: each reads
// every row, so it never runs on the extension host's event loop, and a scan or a diff of a large
// file does not hold up the grid's pages in the database worker.
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../core/errors';
import { RpcEndpoint } from '../../core/protocol/rpc';
import { forwardWriteRecoveryLog } from '../worker/forwardRecoveryLog';
import { DiffWorkerProtocol, diffViewRows, type DiffView } from '../../core/protocol/databaseDiff';
import { SecretsWorkerProtocol, type SecretsScanView } from '../../core/protocol/secretsScan';
import { diffDatabaseFiles } from '../../core/diff/diffDatabases';
import { scanDatabaseFile } from '../../core/scan/scanDatabase';

const port = parentPort;
if (!port) throw new Error('scanWorker.js runs only as a worker thread');

const endpoint = new RpcEndpoint((message) => port.postMessage(message));
port.on('message', (message: unknown) => endpoint.receive(message));
forwardWriteRecoveryLog(endpoint);

endpoint.onRequest(SecretsWorkerProtocol.scan, async ({ path }): Promise<SecretsScanView> => {
  const started = Date.now();
  try {
    const result = await scanDatabaseFile(path);
    return { status: 'scanned', fileName: basename(path), ...result, elapsedMs: Date.now() - started };
  } catch (error) {
    return { status: 'failed', fileName: basename(path), error: errorMessage(error) };
  }
});

endpoint.onRequest(DiffWorkerProtocol.diff, async ({ before, after }): Promise<DiffView> => {
  const started = Date.now();
  const names = { beforeName: basename(before), afterName: basename(after) };
  try {
    const diff = await diffDatabaseFiles(before, after, { maxRows: diffViewRows });
    return { status: 'compared', ...names, ...diff, elapsedMs: Date.now() - started };
  } catch (error) {
    return { status: 'failed', ...names, error: errorMessage(error) };
  }
});
