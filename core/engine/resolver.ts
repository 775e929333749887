// The reference's last-write-wins ConflictResolver, with the reason spelled out for the UI.
import type { ConflictPolicyName, Verdict } from './types';

export interface VersionStamp {
  /** Milliseconds since the epoch, or null when unknown. */
  updatedAt: number | null;
  version: number | null;
}

/**
 * Newer `updatedAt` wins; on a tie the higher `version` wins and an equal version goes to the
 * remote (the reference returns remoteWins unless local.version > remote.version).
 */
export function lastWriteWins(local: VersionStamp, remote: VersionStamp): Verdict {
  if (local.updatedAt !== null && remote.updatedAt !== null && local.updatedAt !== remote.updatedAt) {
    return local.updatedAt > remote.updatedAt
      ? { winner: 'local', reason: `local updatedAt ${iso(local.updatedAt)} is newer than remote ${iso(remote.updatedAt)}` }
      : { winner: 'remote', reason: `remote updatedAt ${iso(remote.updatedAt)} is newer than local ${iso(local.updatedAt)}` };
  }
  const prefix =
    local.updatedAt === null || remote.updatedAt === null
      ? `updatedAt missing on the ${local.updatedAt === null ? 'local' : 'remote'} side`
      : 'equal updatedAt';
  const localVersion = local.version ?? 0;
  const remoteVersion = remote.version ?? 0;
  if (localVersion > remoteVersion) {
    return { winner: 'local', reason: `${prefix}; version ${localVersion} beats ${remoteVersion}` };
  }
  if (remoteVersion > localVersion) {
    return { winner: 'remote', reason: `${prefix}; version ${remoteVersion} beats ${localVersion}` };
  }
  return { winner: 'remote', reason: `${prefix}; equal version ${localVersion}: the remote is kept` };
}

/** What a collection's policy does with a conflict whose last-write-wins verdict is given. */
export function applyPolicy(policy: ConflictPolicyName, verdict: Verdict): { outcome: 'local' | 'remote' | 'held'; reason: string } {
  switch (policy) {
    case 'localWins':
      return { outcome: 'local', reason: 'policy localWins: the local change is pushed' };
    case 'remoteWins':
      return { outcome: 'remote', reason: 'policy remoteWins: the remote document is kept' };
    case 'manual':
      return { outcome: 'held', reason: `policy manual: held for a decision (${verdict.reason})` };
    case 'lastWriteWins':
      return { outcome: verdict.winner, reason: `policy lastWriteWins: ${verdict.reason}` };
  }
}

function iso(millis: number): string {
  return new Date(millis).toISOString();
}
