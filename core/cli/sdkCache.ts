// `synclens inspect` on the Firestore Android SDK's own cache: a summary of what the SDK holds beside
// its pending writes (core/queue/firestoreSdk/cache.ts), under the queue's totals, and in
// `--json` as `firestoreSdkCache`. Reads only.
import type { AppDatabase } from '../db/appDatabase';
import { hasFirestoreSdkCacheTables, summarizeFirestoreSdkCache, type FirestoreSdkCacheSummary } from '../queue/firestoreSdk/cache';
import { isFirestoreSdkCache } from '../queue/firestoreSdk/source';
import { plural } from '../protocol/planOutcome';
import { printable } from './output';

/** The summary of an SDK cache already open (one decode of its remote documents), or null for another kind of file. */
export function firestoreSdkCacheOf(app: AppDatabase): FirestoreSdkCacheSummary | null {
  if (!isFirestoreSdkCache(app.schema) || !hasFirestoreSdkCacheTables(app.schema)) return null;
  return app.file.read((db) => summarizeFirestoreSdkCache(db));
}

/** `Firestore SDK cache: 6 remote documents (posts: 3 found, 1 missing; ...), 2 targets, 3 overlays`. */
export function formatFirestoreSdkCache(summary: FirestoreSdkCacheSummary): string {
  const collections = summary.collections.map(({ collection, found, missing, unknown }) => {
    const parts = [`${found} found`, ...(missing ? [`${missing} missing`] : []), ...(unknown ? [`${unknown} unknown`] : [])];
    return `${collection || '(root)'}: ${parts.join(', ')}`;
  });
  const documents = `${plural(summary.documents, 'remote document')}${collections.length ? ` (${collections.join('; ')})` : ''}`;
  const lines = [
    '',
    `Firestore SDK cache: ${printable(documents)}, ${plural(summary.targets, 'target')}, ${plural(summary.overlays, 'overlay')} (read-only; the grid shows them decoded)`,
    ...summary.undecodable.map((problem) => `  not decoded: ${printable(problem)}`),
  ];
  return `${lines.join('\n')}\n`;
}
