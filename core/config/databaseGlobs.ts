// synclens.json's "databases": glob patterns, relative to the config's folder, of the app databases
// it applies to. Matched by minimatch, which tests each path portion without regular-expression
// backtracking: a synclens.json comes with a cloned repository, and a pattern such as
// `*a*a*a*a*a*a*a*b` must not stall the language server (a regular expression built from it takes
// seconds to refuse a 40-character name).
import { Minimatch, type MinimatchOptions } from 'minimatch';
import { dirname, relative, resolve, sep } from 'node:path';
import type { LoadedConfig, SyncLensConfig } from './config';

export const defaultDatabaseGlobs: readonly string[] = [
  '**/*.db',
  '**/*.sqlite',
  '**/*.sqlite3',
  '**/*.db3',
  // The Firestore Android SDK's cache has no extension: firestore.<app>.<project>.<database>, URL-encoded
  // (core/queue/firestoreSdk). Either the default app or the default database names it.
  '**/firestore.%5BDEFAULT%5D.*.*',
  '**/firestore.*.*.%28default%29',
];

/** Longer patterns are a config problem (validate.ts) and match nothing. */
export const maxGlobLength = 1024;

/** A pattern's `{a,b}` alternatives expand to at most this many patterns (validate.ts reports more). */
export const maxBraceExpansions = 256;

/**
 * `*` matches within a folder and `**` across folders (dot files included, as a database file may
 * be one); `?`, `[abc]` and `{a,b}` as in a shell. A leading `!` or `#` is an ordinary character:
 * a list of globs has no exclusions and no comments.
 */
const globOptions: MinimatchOptions = { dot: true, nonegate: true, nocomment: true, braceExpandMax: maxBraceExpansions + 1 };

export interface DatabaseGlob {
  /** Whether a path relative to the config's folder, with `/` separators, matches. */
  test(relativePath: string): boolean;
}

export function compileDatabaseGlob(glob: string): DatabaseGlob {
  if (glob.length > maxGlobLength) return { test: () => false };
  const matcher = new Minimatch(glob.replace(/^(?:\.\/)+/, ''), globOptions);
  return { test: (relativePath) => matcher.match(relativePath) };
}

/** How many patterns the glob's `{a,b}` alternatives expand to (at most maxBraceExpansions + 1). */
export function braceExpansionsOf(glob: string): number {
  return new Minimatch(glob, globOptions).globSet.length;
}

export function databaseGlobsOf(config: SyncLensConfig | null): readonly string[] {
  return config?.databases?.length ? config.databases : defaultDatabaseGlobs;
}

/** Whether `file` matches one of the config's database globs (relative to the config's folder). */
export function matchesDatabaseGlobs(loaded: LoadedConfig | null, file: string, baseFolder?: string): boolean {
  const base = loaded ? dirname(loaded.path) : (baseFolder ?? process.cwd());
  const relativePath = relative(base, resolve(file)).split(sep).join('/');
  if (relativePath.startsWith('../')) return false;
  return databaseGlobsOf(loaded?.config ?? null).some((glob) => compileDatabaseGlob(glob).test(relativePath));
}
