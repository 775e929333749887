// The database worker: a worker_threads thread that owns every database the extension has open, so
// reading a 100 MB file or scanning a million rows never blocks the extension host. Counts go to a
// thread of their own (rowCounter.ts): a page is never queued behind a count(*).
import { parentPort } from 'node:worker_threads';
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { DatabaseWorkerProtocol, type ExportParams, type ExportResult } from '../../core/protocol/databaseWorker';
import { timestampEncodingsOf, type DatabaseSummary, type GridPage, type GridQuery } from '../../core/protocol/gridModel';
import { CodedError } from '../../core/errors';
import { restoreBackup } from '../../core/db/restoreBackup';
import { RpcEndpoint } from '../../core/protocol/rpc';
import { logToStarter } from '../../core/protocol/workerLog';
import { forwardWriteRecoveryLog } from './forwardRecoveryLog';
import { type OpenedDatabase, openForBrowsing, readGridPage, countGridRows, iterateGridRows, typedFilters } from './coreAdapter';
import { RowCounter } from './rowCounter';
import { decodeCursor, encodeCursor, toExportValue } from './cellEncoding';

const port = parentPort;
if (!port) throw new Error('databaseWorker.js runs only as a worker thread');

const endpoint = new RpcEndpoint((message) => port.postMessage(message));
port.on('message', (message: unknown) => endpoint.receive(message));
forwardWriteRecoveryLog(endpoint);

const databases = new Map<string, OpenedDatabase>();
const counter = new RowCounter(logToStarter(endpoint));
const exportChunkRows = 2000;

function databaseAt(path: string): OpenedDatabase {
  const database = databases.get(path);
  if (!database) throw new CodedError('not-open', `${basename(path)} is not open`);
  return database;
}

endpoint.onRequest(DatabaseWorkerProtocol.open, async ({ path }): Promise<DatabaseSummary> => {
  const opened = await openForBrowsing(path);
  databases.get(path)?.close();
  databases.set(path, opened);
  // Not awaited: the summary goes out now; a count asked for later waits for this open instead.
  void counter.open(path).catch(() => undefined);
  return opened.summary;
});

endpoint.onRequest(DatabaseWorkerProtocol.close, async ({ path }) => {
  databases.get(path)?.close();
  databases.delete(path);
  await counter.close(path);
});

endpoint.onRequest(DatabaseWorkerProtocol.countTables, ({ path }) =>
  counter.countTables(
    path,
    databaseAt(path).summary.schema.tables.map((table) => table.name),
  ),
);

endpoint.onRequest(DatabaseWorkerProtocol.queueTotals, ({ path }) => databaseAt(path).queueTotals());

endpoint.onRequest(DatabaseWorkerProtocol.readPage, ({ path, query }): GridPage => readPageOf(databaseAt(path), query));

function readPageOf(database: OpenedDatabase, query: GridQuery): GridPage {
  const page = readGridPage(database, {
    table: query.table,
    sort: query.sort,
    filters: query.filters,
    after: query.after === null ? null : decodeCursor(query.after),
    limit: query.limit,
  });
  return {
    columns: page.columns,
    rows: page.rows,
    nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor),
    hasMore: page.hasMore,
  };
}

endpoint.onRequest(DatabaseWorkerProtocol.countRows, ({ path, table, filters }) =>
  counter.countRows({ path, table, filters: typedFilters(filters), timestampEncodings: timestampEncodingsOf(databaseAt(path).summary.roles, table) }),
);

endpoint.onRequest(DatabaseWorkerProtocol.restoreBackup, async ({ path, backupPath, backupLocation }) => {
  const { backupPath: replaced } = await restoreBackup(path, backupPath, { backupLocation });
  return { backupPath: replaced };
});

endpoint.onRequest(DatabaseWorkerProtocol.exportRows, (params, { signal }): Promise<ExportResult> => exportRows(params, signal));

/** Lets queued messages (a cancel) in between chunks. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function exportRows(params: ExportParams, signal: AbortSignal): Promise<ExportResult> {
  const database = databaseAt(params.path);
  const total = countGridRows(database, params.table, params.filters);
  const partialPath = join(dirname(params.outputPath), `.${basename(params.outputPath)}.${process.pid}.partial`);
  const output = createWriteStream(partialPath, { encoding: 'utf8' });
  let written = 0;
  let cancelled = false;
  try {
    let first = true;
    let columns: string[] = [];
    for (const chunk of iterateGridRows(database, { table: params.table, sort: params.sort, filters: params.filters, chunkRows: exportChunkRows })) {
      if (first) {
        columns = chunk.columns;
        if (params.format === 'csv') await write(output, stringify([columns]));
        else await write(output, '[');
      }
      const values = chunk.values.map((row) => row.map(toExportValue));
      if (params.format === 'csv') {
        await write(output, stringify(values, { cast: { number: (value) => String(value) } }));
      } else {
        const objects = values.map((row) => JSON.stringify(Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null]))));
        await write(output, (first ? '\n' : ',\n') + objects.join(',\n'));
      }
      first = false;
      written += chunk.rows.length;
      endpoint.sendNotification(DatabaseWorkerProtocol.exportProgress, { exportId: params.exportId, rows: written, total });
      await yieldToMessages();
      if (signal.aborted) {
        cancelled = true;
        break;
      }
    }
    if (!cancelled) {
      if (first) await write(output, params.format === 'csv' ? stringify([database.columnsOf(params.table)]) : '[');
      if (params.format === 'json') await write(output, '\n]\n');
    }
    await closeStream(output);
    if (cancelled) rmSync(partialPath, { force: true });
    else renameSync(partialPath, params.outputPath);
    return { rows: written, cancelled };
  } catch (error) {
    output.destroy();
    rmSync(partialPath, { force: true });
    throw error;
  }
}

function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}
