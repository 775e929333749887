// The database worker's counting thread (core/protocol/rowCounter.ts): exact counts on a connection
// of its own, so a count(*) over a million rows never delays a page the grid is waiting for.
import { parentPort } from 'node:worker_threads';
import { basename } from 'node:path';
import { openDatabaseFile, type OpenedDatabase } from '../../core/db/open';
import { countRows } from '../../core/db/rows';
import { countTableRows } from '../../core/db/schema';
import { CodedError } from '../../core/errors';
import { RpcEndpoint } from '../../core/protocol/rpc';
import { RowCounterProtocol } from '../../core/protocol/rowCounter';
import { forwardWriteRecoveryLog } from './forwardRecoveryLog';

const port = parentPort;
if (!port) throw new Error('rowCounterWorker.js runs only as a worker thread');

const endpoint = new RpcEndpoint((message) => port.postMessage(message));
port.on('message', (message: unknown) => endpoint.receive(message));
forwardWriteRecoveryLog(endpoint);

/** The latest open of each file; a count waits for it, so it never reads the snapshot before. */
const databases = new Map<string, Promise<OpenedDatabase>>();

function closeWhenOpened(opening: Promise<OpenedDatabase> | undefined): void {
  void opening?.then(
    (database) => database.close(),
    () => undefined,
  );
}

endpoint.onRequest(RowCounterProtocol.open, async ({ path }) => {
  // The database worker has just checked this file; checking again would only delay the counts.
  const opening = openDatabaseFile(path, { quickCheck: false });
  closeWhenOpened(databases.get(path));
  databases.set(path, opening);
  await opening;
});

endpoint.onRequest(RowCounterProtocol.close, ({ path }) => {
  closeWhenOpened(databases.get(path));
  databases.delete(path);
});

async function databaseAt(path: string): Promise<OpenedDatabase> {
  const opening = databases.get(path);
  if (!opening) throw new CodedError('not-open', `${basename(path)} is not open`);
  return opening;
}

// Through read(): when the app checkpoints under a count, the snapshot is re-read and counted again.
endpoint.onRequest(RowCounterProtocol.countTables, async ({ path, tables }) => (await databaseAt(path)).read((db) => countTableRows(db, tables)));

endpoint.onRequest(RowCounterProtocol.countRows, async ({ path, table, filters, timestampEncodings }) =>
  (await databaseAt(path)).read((db) => countRows(db, table, filters, timestampEncodings)),
);
