// Kept out of core/protocol/workerLog.ts because it reaches into core/db (node:fs and friends), and
// everything under core/protocol is also compiled for the webviews, which have no Node.
import { setWriteRecoveryLog } from '../../core/db/writeRecovery';
import type { RpcEndpoint } from '../../core/protocol/rpc';
import { logToStarter } from '../../core/protocol/workerLog';

/** In a worker: what write-back recovery (core/db/writeRecovery.ts) did at an open goes to the starter's log. */
export function forwardWriteRecoveryLog(endpoint: RpcEndpoint): void {
  const log = logToStarter(endpoint);
  setWriteRecoveryLog((line) => log.info(line));
}
