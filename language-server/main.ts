// Entry of dist/server.js. The same bundle is the script of the server's worker threads, so there is
// one file to ship; workerData says which part to play. The connection's transport comes from the
// command line as for any vscode-languageserver: --stdio, --node-ipc or --socket=<port>.
import { isMainThread, workerData } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { runWorker } from './database/worker';
import { isWorkerRole } from './database/workerProtocol';
import { startServer } from './server';

if (!isMainThread && isWorkerRole(workerData)) {
  runWorker();
} else {
  startServer(createConnection(ProposedFeatures.all), __filename);
}
