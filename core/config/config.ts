// synclens.json: what it holds, the problems found in it, and what the rest of core reads from it
// (role overrides for detectRoles, the retry/backoff policy, conflict policies). Reading the file is
// load.ts, checking its text validate.ts, its Firestore target target.ts, its database globs
// databaseGlobs.ts, and the names it gives checked against a database databaseCheck.ts.
import { isAbsolute, relative, sep } from 'node:path';
import type { EntityOverride, QueueOverride, SyncRoleOverrides } from '../db/roles';
import {
  defaultBackoffPolicy,
  defaultMaxRetries,
  type BackoffPolicy,
  type EntityColumns,
  type QueueColumns,
  type QueueLastErrors,
  type TimestampEncoding,
} from '../db/types';
import { conflictPolicyNames } from '../engine/types';
import type { PowerSyncJsonPaths } from '../queue/powerSync';
import type { QueueSourceKind } from '../queue/types';
import { CodedError, isCodedError } from '../errors';
import type { FirebaseWebConfig } from '../firestore/client';

export const configFileName = 'synclens.json';

/** The engine's list (core/engine/types.ts), under the name synclens.json's checks use. */
export const conflictPolicies = conflictPolicyNames;
export type ConflictPolicy = (typeof conflictPolicies)[number];
export const defaultConflictPolicy: ConflictPolicy = 'lastWriteWins';

export interface QueueConfig {
  /**
   * Which queue source (core/queue): SyncLens's queue `table`, or the queue of a stack that keeps
   * its own. Absent: detected. A stack's kind skips the table-queue detection.
   */
  kind?: QueueSourceKind;
  /** The queue table; required for kind `table` (or no kind), optional for powersync and brick. */
  table?: string;
  /** PowerSync: where each part of an op sits in ps_crud.data. */
  paths?: Partial<PowerSyncJsonPaths>;
  columns?: Partial<QueueColumns>;
  operationEncoding?: 'text' | 'ordinal';
  timestampEncodings?: Record<string, TimestampEncoding>;
  lastErrors?: QueueLastErrors;
  timeZone?: string;
}

export interface EntityConfig {
  collection?: string;
  entityTypes?: string[];
  columns?: Partial<EntityColumns>;
  timestampEncodings?: Record<string, TimestampEncoding>;
  jsonColumns?: string[];
}

export interface StateConfig {
  table: string;
  keyColumn?: string;
  valueColumn?: string;
}

export interface FirestoreConfig {
  projectId?: string;
  emulator?: { host?: string; port: number };
  webConfig?: FirebaseWebConfig;
  auth?: { email: string; passwordEnv?: string };
}

/** synclens.json as written: whatever is absent is auto-detected. */
export interface SyncLensConfig {
  databases?: string[];
  queue?: QueueConfig | null;
  entities?: Record<string, EntityConfig>;
  state?: StateConfig | null;
  maxRetries?: number;
  backoff?: Partial<BackoffPolicy>;
  conflicts?: { default?: ConflictPolicy; collections?: Record<string, ConflictPolicy> };
  firestore?: FirestoreConfig;
}

export interface LoadedConfig {
  /** Absolute path of the synclens.json. */
  path: string;
  config: SyncLensConfig;
}

/** One problem in a config file, positioned for a CLI message or an editor diagnostic. */
export interface ConfigProblem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units as editors count them. */
  column: number;
  offset: number;
  length: number;
  /** Dotted path of the key concerned ('' for the whole file), e.g. `backoff.factor`, `databases[0]`. */
  keyPath: string;
  message: string;
  /** The closest valid name, when the problem is a misspelt table or column (for a quick fix). */
  suggestion?: string;
}

export class ConfigError extends CodedError<'config'> {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super('config', problems.length > 0 ? formatConfigProblem(problems[0]!) : `${file}: invalid configuration`);
  }
}

/**
 * Any error whose code is 'config': a ConfigError (a problem in synclens.json, with its line and
 * column) or a configured secret that the environment lacks (target.ts's MissingSecretError).
 */
export function isConfigError(error: unknown): error is CodedError<'config'> {
  return isCodedError(error, 'config');
}

/** `synclens.json:7:15: "maxRetries" must be an integer`. */
export function formatConfigProblem(problem: ConfigProblem): string {
  return `${displayPath(problem.file)}:${problem.line}:${problem.column}: ${problem.message}`;
}

function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const fromCwd = relative(process.cwd(), file);
  return fromCwd !== '' && !fromCwd.startsWith(`..${sep}`) && fromCwd !== '..' && !isAbsolute(fromCwd) ? fromCwd : file;
}

/** The overrides core/db/roles.ts's detectRoles accepts. */
export function toRoleOverrides(config: SyncLensConfig): SyncRoleOverrides {
  const overrides: SyncRoleOverrides = {};
  if (config.queue === null || (config.queue?.kind !== undefined && config.queue.kind !== 'table')) overrides.queue = null;
  else if (config.queue?.table !== undefined) {
    const queue: QueueOverride = { table: config.queue.table };
    if (config.queue.columns) queue.columns = { ...config.queue.columns };
    if (config.queue.operationEncoding) queue.operationEncoding = config.queue.operationEncoding;
    if (config.queue.timestampEncodings) queue.timestampEncodings = { ...config.queue.timestampEncodings };
    if (config.queue.lastErrors) queue.lastErrors = { ...config.queue.lastErrors };
    if (config.queue.timeZone !== undefined) queue.timeZone = config.queue.timeZone;
    overrides.queue = queue;
  }
  if (config.entities) {
    overrides.entities = Object.entries(config.entities).map(([table, entity]) => {
      const override: EntityOverride = { table };
      if (entity.collection) override.collection = entity.collection;
      if (entity.entityTypes) override.entityTypes = [...entity.entityTypes];
      if (entity.columns) override.columns = { ...entity.columns };
      if (entity.timestampEncodings) override.timestampEncodings = { ...entity.timestampEncodings };
      if (entity.jsonColumns) override.jsonColumns = [...entity.jsonColumns];
      return override;
    });
  }
  if (config.state === null) overrides.state = null;
  else if (config.state) overrides.state = { ...config.state };
  return overrides;
}

export function maxRetriesOf(config: SyncLensConfig | null): number {
  return config?.maxRetries ?? defaultMaxRetries;
}

export function backoffOf(config: SyncLensConfig | null): BackoffPolicy {
  return { ...defaultBackoffPolicy, ...config?.backoff };
}

/** The collection's policy, else the config's default, else `fallback` (the editor's setting). */
export function conflictPolicyFor(config: SyncLensConfig | null, collection: string, fallback: ConflictPolicy = defaultConflictPolicy): ConflictPolicy {
  return config?.conflicts?.collections?.[collection] ?? config?.conflicts?.default ?? fallback;
}
