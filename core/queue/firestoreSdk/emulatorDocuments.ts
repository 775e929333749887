// Reads documents from the Firestore emulator's REST API, which (unlike the client SDK) gives each
// document's updateTime, so a plan can tell a remote change made after the local write.
import { CodedError, errorMessage } from '../../errors';
import type { SdkDocumentState } from './plan';

interface RestValue {
  nullValue?: null;
  booleanValue?: boolean;
  integerValue?: string;
  doubleValue?: number;
  timestampValue?: string;
  stringValue?: string;
  bytesValue?: string;
  referenceValue?: string;
  geoPointValue?: { latitude?: number; longitude?: number };
  arrayValue?: { values?: RestValue[] };
  mapValue?: { fields?: Record<string, RestValue> };
}

export interface EmulatorAddress {
  host: string;
  port: number;
  projectId: string;
  databaseId?: string;
}

/** One GET per path (`posts/p1`); null for a document that does not exist. */
export async function readEmulatorDocuments(address: EmulatorAddress, paths: readonly string[]): Promise<Map<string, SdkDocumentState | null>> {
  const documents = new Map<string, SdkDocumentState | null>();
  const base = `http://${address.host}:${address.port}/v1/projects/${encodeURIComponent(address.projectId)}/databases/${encodeURIComponent(address.databaseId ?? '(default)')}/documents`;
  for (const path of new Set(paths)) {
    const url = `${base}/${path.split('/').map(encodeURIComponent).join('/')}`;
    // "Bearer owner" is the emulator's admin token: security rules do not apply to a plan's reads.
    let response: Response;
    try {
      response = await fetch(url, { headers: { Authorization: 'Bearer owner' } });
    } catch (error) {
      throw new CodedError('unreachable', `the Firestore emulator at ${address.host}:${address.port} did not answer: ${errorMessage(error)}`);
    }
    if (response.status === 404) {
      documents.set(path, null);
      continue;
    }
    if (!response.ok) throw new CodedError('unknown', `reading ${path} from the emulator: HTTP ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { fields?: Record<string, RestValue>; updateTime?: string };
    const updateTime = body.updateTime ? Date.parse(body.updateTime) : null;
    documents.set(path, { fields: fieldsOf(body.fields ?? {}), updateTime: Number.isNaN(updateTime) ? null : updateTime });
  }
  return documents;
}

function fieldsOf(fields: Record<string, RestValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, valueOf(value)]));
}

/** The same JSON form as the decoded pending writes (writes.ts valueToJson). */
function valueOf(value: RestValue): unknown {
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
