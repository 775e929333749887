// Run by Node 24 (tests/helpers/encryptedDatabases.ts): writes an encrypted database with the real,
// native SQLite3 Multiple Ciphers of better-sqlite3-multiple-ciphers (scripts/multipleCiphers.ts).
// The job comes on stdin, so the key never appears on a command line:
// { module, file, cipher: 'sqlcipher4' | 'chacha20', key, pragmas?, sql?, walSql?, walCopy?, queries?, encryptInPlace? }
// With walSql, the database is in WAL mode and walSql is committed into the -wal only; the file and
// its -wal are copied to walCopy while the connection still holds them (closing would checkpoint).
// With encryptInPlace, `file` is a plain database that is encrypted where it is (PRAGMA rekey).
// With queries, it prints the rows of each (a JSON array of arrays) instead: a reader to check
// what SyncLens wrote back.
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const job = JSON.parse(readFileSync(0, 'utf8'));
// The package is CommonJS and lives in SYNCLENS_CACHE, outside this repo's node_modules.
const Database = createRequire(import.meta.url)(job.module);
const db = new Database(job.file);
if (job.cipher === 'sqlcipher4') {
  db.pragma("cipher='sqlcipher'");
  db.pragma('legacy=4');
} else if (job.cipher === 'chacha20') {
  db.pragma("cipher='chacha20'");
} else {
  throw new Error(`unknown cipher ${job.cipher}`);
}
// An app's own settings over the version's defaults (kdf_iter=64000, say), before the key.
for (const pragma of job.pragmas ?? []) db.pragma(pragma);
const quotedKey = job.key.replaceAll("'", "''");
if (job.encryptInPlace) {
  db.pragma(`rekey='${quotedKey}'`);
  db.close();
  process.exit(0);
}
db.pragma(`key='${quotedKey}'`);
if (job.queries) {
  process.stdout.write(JSON.stringify(job.queries.map((query) => db.prepare(query).all())));
  db.close();
  process.exit(0);
}
if (job.walSql) {
  db.pragma('journal_mode=WAL');
  db.pragma('wal_autocheckpoint=0');
}
db.exec(job.sql);
if (job.walSql) {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec(job.walSql);
  copyFileSync(job.file, job.walCopy);
  copyFileSync(`${job.file}-wal`, `${job.walCopy}-wal`);
}
db.close();
