// Log lines a worker thread sends to the thread that started it, which writes them where its own
// lines go (the extension host: the SyncLens output channel, extension/log.ts). A worker has no
// output channel of its own, and its stderr ends up in the Extension Host log, where nobody looks.
import * as z from 'zod';
import { notification, type RpcEndpoint } from './rpc';

export const WorkerLogProtocol = {
  /** worker -> its starter: one line for the log. */
  log: notification('workerLog', z.object({ level: z.enum(['info', 'error']), message: z.string() })),
};

export interface WorkerLog {
  info(message: string): void;
  error(message: string): void;
}

/** In a worker: a log whose lines go to the thread that started it, over `endpoint`. */
export function logToStarter(endpoint: RpcEndpoint): WorkerLog {
  return {
    info: (message) => endpoint.sendNotification(WorkerLogProtocol.log, { level: 'info', message }),
    error: (message) => endpoint.sendNotification(WorkerLogProtocol.log, { level: 'error', message }),
  };
}

/** In the starter: writes each line `endpoint`'s worker sends into `log`. */
export function receiveWorkerLog(endpoint: RpcEndpoint, log: WorkerLog): void {
  endpoint.onNotification(WorkerLogProtocol.log, ({ level, message }) => (level === 'error' ? log.error(message) : log.info(message)));
}
