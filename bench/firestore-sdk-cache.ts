// The Firestore SDK cache's remote documents as SyncLens shows them: a 200-row grid page of
// remote_documents decoded (core/queue/firestoreSdk/cacheCells.ts) against the same page as stored
// (the baseline, same run), and inspect's per-collection summary, which decodes every document
// (core/queue/firestoreSdk/cache.ts). The cache is written by the real sqlite3 from the upstream DDL
// (sample-workspace/firestoreSdkCache.ts), its MaybeDocuments encoded by protobufjs. Prints figures;
// asserts nothing about time.
//   npm run bench -- firestore-sdk-cache
//   SYNCLENS_BENCH_DOCUMENTS=20000  documents in the cache; SYNCLENS_BENCH_RUNS=7  timed runs (median)
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAppDatabase } from '../core/db/appDatabase';
import { readPage } from '../core/db/rows';
import { summarizeFirestoreSdkCache } from '../core/queue/firestoreSdk/cache';
import { decodeFirestoreSdkPage } from '../core/queue/firestoreSdk/cacheCells';
import { maybeDocumentType } from '../core/queue/firestoreSdk/protos';
import { firestoreSchemaV18 } from '../sample-workspace/firestoreSdkCache';
import { scratchDir, sqlite3 } from '../tests/helpers/sqliteCli';

const documents = Number(process.env.SYNCLENS_BENCH_DOCUMENTS ?? 20_000);
const runs = Number(process.env.SYNCLENS_BENCH_RUNS ?? 7);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function writeCache(path: string): void {
  const type = maybeDocumentType();
  const rows: string[] = [];
  for (let i = 0; i < documents; i++) {
    const fields = { title: { string_value: `Post ${i}` }, likes: { integer_value: i }, body: { string_value: 'x'.repeat(200) }, tags: { array_value: { values: [{ string_value: 'a' }, { string_value: 'b' }] } } };
    const bytes = type.encode(type.fromObject({ document: { name: `projects/demo-synclens/databases/(default)/documents/posts/p${i}`, fields, update_time: { seconds: 1_764_000_000 + i } } })).finish();
    rows.push(`('posts\u0001\u0001p${i}\u0001\u0001', X'${Buffer.from(bytes).toString('hex')}', 1764000000, 0, 2, 2)`);
  }
  sqlite3(path, `${firestoreSchemaV18}\nBEGIN;\nINSERT INTO remote_documents (path, contents, read_time_seconds, read_time_nanos, path_length, document_type) VALUES ${rows.join(',\n')};\nCOMMIT;`);
}

async function main(): Promise<void> {
  const scratch = scratchDir('synclens-bench-sdk-cache-');
  try {
    const path = join(scratch.dir, 'firestore.%5BDEFAULT%5D.demo-synclens.%28default%29');
    writeCache(path);
    const app = await openAppDatabase(path, { config: 'none', analyzeQueue: false });
    try {
      const page = (): ReturnType<typeof readPage> => readPage(app.file.db, { table: 'remote_documents', limit: 200 });
      // One warm-up of each, then the timed runs.
      page();
      decodeFirestoreSdkPage('remote_documents', page());
      summarizeFirestoreSdkCache(app.file.db);
      const raw: number[] = [];
      const decoded: number[] = [];
      const summary: number[] = [];
      for (let run = 0; run < runs; run++) {
        let started = performance.now();
        page();
        raw.push(performance.now() - started);
        started = performance.now();
        decodeFirestoreSdkPage('remote_documents', page());
        decoded.push(performance.now() - started);
        started = performance.now();
        summarizeFirestoreSdkCache(app.file.db);
        summary.push(performance.now() - started);
      }
      const [r, d, s] = [median(raw), median(decoded), median(summary)];
      console.log(`firestore-sdk-cache: ${documents.toLocaleString('en-US')} remote documents, median of ${runs} (load ${loadavg()[0]!.toFixed(1)})`);
      console.log(`  200-row page as stored (baseline)  ${r.toFixed(2)} ms`);
      console.log(`  200-row page decoded               ${d.toFixed(2)} ms  (${(d / r).toFixed(2)}x the baseline, ${((d - r) / 200 * 1000).toFixed(1)} µs a row more)`);
      console.log(`  inspect summary (every document)   ${s.toFixed(0)} ms  (${(s / documents * 1000).toFixed(1)} µs a document)`);
    } finally {
      app.close();
    }
  } finally {
    scratch.cleanup();
  }
}

void main();
