// Reads documents through Firestore's REST API (`documents:batchGet`), which, unlike the web SDK,
// gives each document's updateTime, so a plan can tell a remote change made after the local write.
// The emulator is read as its admin ("Bearer owner"); a real project as the user signed in with the
// target's credentials (core/firestore/client.ts idToken), so the project's security rules apply.
import { FirestoreConnectionError } from '../../firestore/client';
import { batchGetDocuments, describeDocuments } from '../../firestore/restBatchGet';
import { serverMessageOf, type FirestoreRestEndpoint } from '../../firestore/restRequests';
import type { RestAnswerValue } from '../../firestore/restValues';
import { CodedError } from '../../errors';
import type { SdkDocumentState } from './plan';

/** One clear error for an HTTP failure of a batchGet, with the connection error codes the rest of SyncLens uses. */
export function restFailure(endpoint: FirestoreRestEndpoint, status: number, serverMessage: string, names: readonly string[]): CodedError {
  const detail = serverMessage ? `: ${serverMessage}` : '';
  if (status === 401) {
    return new FirestoreConnectionError('unauthenticated', `${endpoint.label} did not accept the signed-in user (HTTP 401): sign in again with the target's email and password${detail}`);
  }
  if (status === 403) {
    return new FirestoreConnectionError('permission-denied', `${endpoint.label} denied reading ${describeDocuments(endpoint, names)} (HTTP 403): the security rules must let the signed-in user read them${detail}`);
  }
  if (status === 404) {
    return new FirestoreConnectionError('unknown-project', `${endpoint.label} has no Firestore database ${endpoint.databaseId} (HTTP 404)${detail}`);
  }
  if (status === 429 || status >= 500) {
    return new FirestoreConnectionError('unreachable', `${endpoint.label} is unavailable reading ${describeDocuments(endpoint, names)} (HTTP ${status}): try again later${detail}`);
  }
  return new CodedError('unknown', `${endpoint.label} refused reading ${describeDocuments(endpoint, names)} (HTTP ${status})${detail}`);
}

/** The documents at `paths`, null for one that does not exist; `batchSize` documents per request. */
export async function readRestDocuments(
  endpoint: FirestoreRestEndpoint,
  paths: readonly string[],
  options: { batchSize?: number; timeoutMs?: number } = {},
): Promise<Map<string, SdkDocumentState | null>> {
  const answers = await batchGetDocuments(endpoint, paths, (answer, names) => restFailure(endpoint, answer.status, serverMessageOf(answer.text), names), {
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  const documents = new Map<string, SdkDocumentState | null>();
  for (const [path, answer] of answers) {
    const updateTime = answer?.updateTime ? Date.parse(answer.updateTime) : null;
    documents.set(path, answer === null ? null : { fields: fieldsOf(answer.fields), updateTime: Number.isNaN(updateTime) ? null : updateTime });
  }
  return documents;
}

function fieldsOf(fields: Record<string, RestAnswerValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, valueOf(value)]));
}

/** The same JSON form as the decoded pending writes (writes.ts valueToJson). */
function valueOf(value: RestAnswerValue): unknown {
  if (value.booleanValue !== undefined) return value.booleanValue;
  if (value.integerValue !== undefined) {
    const number = Number(value.integerValue);
    return Number.isSafeInteger(number) ? number : value.integerValue;
  }
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.timestampValue !== undefined) return new Date(Date.parse(value.timestampValue)).toISOString();
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.referenceValue !== undefined) {
    const at = value.referenceValue.indexOf('/documents/');
    return at < 0 ? value.referenceValue : value.referenceValue.slice(at + '/documents/'.length);
  }
  if (value.geoPointValue !== undefined) return { latitude: value.geoPointValue.latitude ?? 0, longitude: value.geoPointValue.longitude ?? 0 };
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.mapValue !== undefined) return fieldsOf(value.mapValue.fields ?? {});
  return null;
}
