// One atomic batch of merge writes as a REST `documents:commit` (core/firestore/restWrites.ts builds
// the body as Firestore Lite would), failing with the codes Lite's errors have (firestoreErrorCode in
// client.ts), so the engine's retries (core/engine/replayRetry.ts) read them the same way.
import { postForFirestore, type FirestoreRestEndpoint } from './restRequests';
import type { EncodedWrite } from './restWrites';

/**
 * Sends the writes; resolves once Firestore has applied all of them. An empty batch sends nothing
 * (as Lite's WriteBatch.commit). A request without a complete answer (refused, reset, cut off) is
 * 'unavailable': it may or may not have been applied, which the retry's read-back settles.
 */
export async function commitRestWrites(endpoint: FirestoreRestEndpoint, writes: readonly EncodedWrite[]): Promise<void> {
  if (writes.length === 0) return;
  // The answer (each write's updateTime) is not read: an OK status is the commit.
  await postForFirestore(endpoint, 'commit', commitBody(writes), `committing ${describeWrites(writes)}`);
}

/** `{"writes":[…]}`, the writes' texts joined as JSON.stringify({ writes }) of their objects would write them. */
function commitBody(writes: readonly EncodedWrite[]): string {
  const parts: string[] = ['{"writes":['];
  for (let i = 0; i < writes.length; i++) parts.push(i > 0 ? ',' : '', writes[i]!.json);
  parts.push(']}');
  // One join: a flat string, which fetch encodes at once (a rope of pieces costs more to flatten later).
  return parts.join('');
}

/** "3 writes (posts/p1, posts/p2, users/u1)", for a message. */
function describeWrites(writes: readonly EncodedWrite[]): string {
  const paths = writes.slice(0, 3).map((write) => write.name.replace(/^projects\/[^/]+\/databases\/[^/]+\/documents\//, ''));
  const more = writes.length > 3 ? `, and ${writes.length - 3} more` : '';
  return `${writes.length} write${writes.length === 1 ? '' : 's'} (${paths.join(', ')}${more})`;
}
