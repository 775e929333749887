// A plan of the Firestore SDK's pending writes against the emulator: the documents they name read
// once each over the emulator's REST API (emulatorDocuments.ts), then every write classified in send
// order (plan.ts). Used by `synclens plan` and by the Sync Queue view's Plan (the sync worker).
import type { AnalyzedOperation } from '../../db/types';
import { CodedError } from '../../errors';
import type { FirestoreTarget } from '../../firestore/client';
import { readEmulatorDocuments, type EmulatorAddress } from './emulatorDocuments';
import { planSdkWrites, sdkWritePath, type SdkPlannedWrite } from './plan';
import { parseFirestoreSdkFileName } from './source';

export interface SdkQueuePlan {
  readonly address: EmulatorAddress;
  readonly planned: SdkPlannedWrite[];
  /** Documents read from the emulator (one GET each). */
  readonly remoteReads: number;
}

/**
 * Where a cache file's writes are checked: the target's emulator, in the project and database the
 * file is named for (`firestore.<key>.<project>.<database>`; the writes name them too). A real
 * project is refused: its API does not give the update times a plan needs without credentials
 * SyncLens does not ask for here.
 */
export function sdkPlanAddress(target: FirestoreTarget, fileName: string): EmulatorAddress {
  if (target.kind !== 'emulator') {
    throw new CodedError('bad-option', "a Firestore SDK cache is planned against the emulator (its REST API gives each document's update time): connect to an emulator");
  }
  const named = parseFirestoreSdkFileName(fileName);
  return { host: target.host, port: target.port, projectId: named?.projectId ?? target.projectId, databaseId: named?.databaseId };
}

export async function planSdkQueue(ops: readonly AnalyzedOperation[], address: EmulatorAddress): Promise<SdkQueuePlan> {
  const paths = [...new Set(ops.map(sdkWritePath))];
  const remote = await readEmulatorDocuments(address, paths);
  return { address, planned: planSdkWrites(ops, remote), remoteReads: paths.length };
}
