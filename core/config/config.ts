// synclens.json: parsed with jsonc-parser (so every problem keeps its line and column), validated
// against schemas/synclens.schema.json with ajv, and turned into what the rest of core consumes:
// role overrides for detectRoles, the retry/backoff policy, conflict policies and a Firestore target.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import schemaJson from '../../schemas/synclens.schema.json';
import type { EntityOverride, QueueOverride, SyncRoleOverrides } from '../db/roles';
import {
  type SchemaInfo,
  defaultBackoffPolicy,
  defaultMaxRetries,
  type BackoffPolicy,
  type EntityColumns,
  type QueueColumns,
  type TimestampEncoding,
} from '../db/types';
import type { FirestoreTarget, FirebaseWebConfig } from '../firestore/client';

export const configFileName = 'synclens.json';
export const defaultDatabaseGlobs: readonly string[] = ['**/*.db', '**/*.sqlite', '**/*.sqlite3', '**/*.db3'];
export const defaultEmulatorHost = '127.0.0.1';
export const defaultEmulatorProjectId = 'demo-synclens';
export const defaultPasswordEnv = 'SYNCLENS_FIREBASE_PASSWORD';

export const conflictPolicies = ['lastWriteWins', 'localWins', 'remoteWins', 'manual'] as const;
export type ConflictPolicy = (typeof conflictPolicies)[number];
export const defaultConflictPolicy: ConflictPolicy = 'lastWriteWins';

export interface QueueConfig {
  table: string;
  columns?: Partial<QueueColumns>;
  operationEncoding?: 'text' | 'ordinal';
  timestampEncodings?: Record<string, TimestampEncoding>;
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

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Crosses the workers' RPC with the error, as a DatabaseFileError's code does. */
  readonly code = 'config';
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.length > 0 ? formatConfigProblem(problems[0]!) : `${file}: invalid configuration`);
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
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

// ---- parsing and validation ---------------------------------------------------------------------

export interface ConfigCheck {
  /** The config when it has no problems, else null. */
  config: SyncLensConfig | null;
  problems: ConfigProblem[];
  /** The parse tree (for editors: completion, hover, quick fixes), null when the text is empty. */
  tree: Node | null;
}

let compiledValidator: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiledValidator ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schemaJson);
  return compiledValidator;
}

/** The JSON Schema as an object (the language server hands it to its JSON service). */
export function configJsonSchema(): Record<string, unknown> {
  return schemaJson as Record<string, unknown>;
}

/** Every problem of a config text: malformed JSON, then schema violations, then secrets and contradictions. */
export function checkConfigText(text: string, file: string): ConfigCheck {
  const positions = new LineIndex(text);
  const problem = (offset: number, length: number, keyPath: string, message: string): ConfigProblem => {
    const { line, column } = positions.position(offset);
    return { file, line, column, offset, length, keyPath, message };
  };

  const parseErrors: ParseError[] = [];
  const tree = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false }) ?? null;
  if (parseErrors.length > 0 || !tree) {
    // One message: after the first syntax error the rest are usually echoes of it.
    const first = parseErrors[0];
    const offset = text.trim() === '' ? 0 : (first?.offset ?? 0);
    const detail = text.trim() === '' ? 'the file is empty' : first ? describeParseError(printParseErrorCode(first.error)) : 'no JSON value';
    return { config: null, problems: [problem(offset, first?.length ?? 0, '', `malformed JSON: ${detail}`)], tree };
  }

  const problems: ConfigProblem[] = [];
  if (tree.type !== 'object') {
    return { config: null, problems: [problem(tree.offset, tree.length, '', 'synclens.json must hold a JSON object')], tree };
  }
  for (const duplicate of findDuplicateKeys(tree)) {
    problems.push(problem(duplicate.node.offset, duplicate.node.length, duplicate.keyPath, `"${duplicate.keyPath}" is given twice`));
  }
  for (const secret of findSecretKeys(tree)) {
    problems.push(
      problem(
        secret.node.offset,
        secret.node.length,
        secret.keyPath,
        `"${secret.keyPath}" looks like a secret: secrets never go in synclens.json ` +
          `(the extension keeps the password in SecretStorage; the CLI reads ${defaultPasswordEnv} or firestore.auth.passwordEnv)`,
      ),
    );
  }
  const secretPaths = new Set(problems.map((each) => each.keyPath));

  const value = getNodeValue(tree) as unknown;
  const validate = validator();
  if (!validate(value)) {
    for (const error of simplifyErrors(validate.errors ?? [])) {
      const located = locateSchemaError(tree, error);
      if (secretPaths.has(located.keyPath)) continue;
      problems.push(problem(located.node.offset, located.node.length, located.keyPath, messageFor(error, located.keyPath)));
    }
  }
  problems.push(...contradictions(tree, value as SyncLensConfig).map((each) => problem(each.node.offset, each.node.length, each.keyPath, each.message)));
  problems.sort((a, b) => a.offset - b.offset);
  return { config: problems.length === 0 ? (value as SyncLensConfig) : null, problems, tree };
}

/** The config in `text`, or a ConfigError whose message is the first problem with its line:column. */
export function parseConfig(text: string, path: string): SyncLensConfig {
  const checked = checkConfigText(text, path);
  if (!checked.config) throw new ConfigError(path, checked.problems);
  return checked.config;
}

/** A config is a few kilobytes; a file far larger than that is not one, and is not read whole. */
const maxConfigBytes = 1024 * 1024;

/** The text of a config file: a regular file only (a FIFO would block, /dev/zero never end), of bounded size. */
function readConfigText(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error('it is not a regular file');
    if (stats.size > maxConfigBytes) throw new Error(`it is ${stats.size} bytes, larger than any config (${maxConfigBytes} at most)`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

export function loadConfig(path: string): LoadedConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readConfigText(absolute);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(absolute, [{ file: absolute, line: 1, column: 1, offset: 0, length: 0, keyPath: '', message: `cannot read the config: ${reason}` }]);
  }
  // A byte-order mark is legal in files saved by some editors; jsonc-parser would call it a symbol.
  return { path: absolute, config: parseConfig(text.replace(/^\uFEFF/, ''), absolute) };
}

/** The synclens.json beside the database or in the nearest folder above it, or null. */
export function findConfigFor(dbPath: string): string | null {
  let folder = dirname(resolve(dbPath));
  for (;;) {
    const candidate = join(folder, configFileName);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
}

/** The nearest config of a database, loaded; null when there is none (then everything is detected). */
export function loadConfigFor(dbPath: string): LoadedConfig | null {
  const found = findConfigFor(dbPath);
  return found ? loadConfig(found) : null;
}

// ---- what the rest of core consumes -------------------------------------------------------------

/** The overrides core/db/roles.ts's detectRoles accepts. */
export function toRoleOverrides(config: SyncLensConfig): SyncRoleOverrides {
  const overrides: SyncRoleOverrides = {};
  if (config.queue === null) overrides.queue = null;
  else if (config.queue) {
    const queue: QueueOverride = { table: config.queue.table };
    if (config.queue.columns) queue.columns = { ...config.queue.columns };
    if (config.queue.operationEncoding) queue.operationEncoding = config.queue.operationEncoding;
    if (config.queue.timestampEncodings) queue.timestampEncodings = { ...config.queue.timestampEncodings };
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

export function databaseGlobsOf(config: SyncLensConfig | null): readonly string[] {
  return config?.databases?.length ? config.databases : defaultDatabaseGlobs;
}

/** Whether `file` matches one of the config's database globs (relative to the config's folder). */
export function matchesDatabaseGlobs(loaded: LoadedConfig | null, file: string, baseFolder?: string): boolean {
  const base = loaded ? dirname(loaded.path) : (baseFolder ?? process.cwd());
  const relativePath = relative(base, resolve(file)).split(sep).join('/');
  if (relativePath.startsWith('../')) return false;
  return databaseGlobsOf(loaded?.config ?? null).some((glob) => globToRegExp(glob).test(relativePath));
}

/** `*` within one folder, `**` across folders, `?` one character; `{a,b}` alternatives. */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        pattern += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else pattern += '[^/]*';
    } else if (char === '?') pattern += '[^/]';
    else if (char === '{') {
      const close = glob.indexOf('}', i);
      if (close === -1) pattern += '\\{';
      else {
        pattern += `(?:${glob.slice(i + 1, close).split(',').map(escapeRegExp).join('|')})`;
        i = close;
      }
    } else pattern += escapeRegExp(char);
  }
  return new RegExp(`^${pattern.replace(/^\.\//, '')}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface TargetOptions {
  /** The password, when the caller has it (the extension's SecretStorage). */
  password?: string;
  /** Where the CLI reads the password from; process.env by default. */
  env?: Record<string, string | undefined>;
}

export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
  constructor(
    readonly email: string,
    readonly variable: string,
  ) {
    super(`synclens.json signs in as ${email}: set the password in the environment variable ${variable}`);
  }
}

/** The Firestore target the config names, or null when it names none. */
export function firestoreTargetOf(config: SyncLensConfig | null, options: TargetOptions = {}): FirestoreTarget | null {
  const firestore = config?.firestore;
  if (!firestore) return null;
  if (firestore.emulator) {
    return {
      kind: 'emulator',
      host: firestore.emulator.host ?? defaultEmulatorHost,
      port: firestore.emulator.port,
      projectId: firestore.projectId ?? defaultEmulatorProjectId,
    };
  }
  if (!firestore.webConfig) return null;
  const webConfig = { ...firestore.webConfig };
  if (!firestore.auth) return { kind: 'project', webConfig };
  const variable = firestore.auth.passwordEnv ?? defaultPasswordEnv;
  const password = options.password ?? (options.env ?? process.env)[variable];
  if (!password) throw new MissingSecretError(firestore.auth.email, variable);
  return { kind: 'project', webConfig, auth: { email: firestore.auth.email, password } };
}

// ---- locating and wording schema errors ---------------------------------------------------------

class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char === 10) this.starts.push(i + 1);
      else if (char === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}

function describeParseError(code: string): string {
  const descriptions: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a key in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected a colon after the key',
    CommaExpected: 'expected a comma',
    CloseBraceExpected: 'expected a closing brace }',
    CloseBracketExpected: 'expected a closing bracket ]',
    EndOfFileExpected: 'unexpected text after the end of the JSON',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return descriptions[code] ?? code;
}

type PathSegment = string | number;

function keyPathOf(segments: readonly PathSegment[]): string {
  return segments.reduce<string>(
    (path, segment) => (typeof segment === 'number' ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`),
    '',
  );
}

function pointerSegments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** The property node holding `key` inside an object node. */
function propertyNode(objectNode: Node | undefined, key: string): Node | undefined {
  if (objectNode?.type !== 'object') return undefined;
  return objectNode.children?.find((property) => property.children?.[0]?.value === key);
}

function locateSchemaError(tree: Node, error: ErrorObject): { node: Node; keyPath: string } {
  const segments = pointerSegments(error.instancePath);
  const valueNode = findNodeAtLocation(tree, segments) ?? tree;
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const keyNode = propertyNode(valueNode, key)?.children?.[0];
    return { node: keyNode ?? valueNode, keyPath: keyPathOf([...segments, key]) };
  }
  if (error.keyword === 'required') {
    // Point at the key of the object missing something: `"emulator": {}` underlines "emulator".
    const keyNode = valueNode.parent?.type === 'property' ? valueNode.parent.children?.[0] : undefined;
    return { node: keyNode ?? valueNode, keyPath: keyPathOf(segments) };
  }
  return { node: valueNode, keyPath: keyPathOf(segments) };
}

/** Ajv reports every branch of a type union; keep the errors a person can act on. */
function simplifyErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const typeErrorAt = new Set(errors.filter((error) => error.keyword === 'type').map((error) => error.instancePath));
  const seen = new Set<string>();
  return errors.filter((error) => {
    // A value of the wrong type also fails its other keywords: the type error says it all.
    if (error.keyword !== 'type' && typeErrorAt.has(error.instancePath)) return false;
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf') return false;
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const typeWords: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function messageFor(error: ErrorObject, keyPath: string): string {
  const name = keyPath === '' ? 'synclens.json' : `"${keyPath}"`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? (params.type as string[]) : String(params.type).split(',');
      return `${name} must be ${types.map((type) => typeWords[type] ?? type).join(' or ')}`;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value));
      const suggestion = closest(String(error.data), (params.allowedValues as unknown[]).map(String));
      return `${name} must be one of ${allowed.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const suggestion = closest(key, known.filter((candidate) => candidate !== '$schema'));
      const where = keyPath.includes('.') ? ` in "${keyPath.slice(0, keyPath.lastIndexOf('.'))}"` : '';
      return `unknown key "${key}"${where}${suggestion ? `: did you mean "${suggestion}"?` : known.length ? `: expected one of ${known.map((each) => `"${each}"`).join(', ')}` : ''}`;
    }
    case 'required':
      return `${name} is missing "${String(params.missingProperty)}"`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${name} must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'minLength':
      return Number(params.limit) <= 1 ? `${name} must not be empty` : `${name} must have at least ${String(params.limit)} characters`;
    case 'pattern':
      return keyPath.endsWith('projectId')
        ? `${name} is not a valid project id (lowercase letters, digits and dashes)`
        : keyPath.endsWith('passwordEnv')
          ? `${name} must be the name of an environment variable (letters, digits, _)`
          : `${name} must match ${String(params.pattern)}`;
    case 'uniqueItems':
      return `${name} lists an item twice (items ${String(params.j)} and ${String(params.i)})`;
    default:
      return `${name} ${error.message ?? 'is invalid'}`;
  }
}

/** The candidate within edit distance 2 (or a third of the word's length) of `word`, if any. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.ceil(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// ---- checks the schema cannot express -----------------------------------------------------------

interface Located {
  node: Node;
  keyPath: string;
}

function walkProperties(node: Node, path: PathSegment[], visit: (keyNode: Node, valueNode: Node, path: PathSegment[]) => void): void {
  if (node.type === 'object') {
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode) continue;
      const childPath = [...path, String(keyNode.value)];
      if (valueNode) {
        visit(keyNode, valueNode, childPath);
        walkProperties(valueNode, childPath, visit);
      }
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, index) => walkProperties(child, [...path, index], visit));
  }
}

function findDuplicateKeys(tree: Node): Located[] {
  const found: Located[] = [];
  const check = (objectNode: Node, path: PathSegment[]): void => {
    const seen = new Set<string>();
    for (const property of objectNode.children ?? []) {
      const keyNode = property.children?.[0];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      if (seen.has(key)) found.push({ node: keyNode, keyPath: keyPathOf([...path, key]) });
      seen.add(key);
    }
  };
  check(tree, []);
  walkProperties(tree, [], (_, valueNode, path) => {
    if (valueNode.type === 'object') check(valueNode, path);
  });
  return found;
}

const secretKey = /^(?:password|passwd|pwd|secret|clientsecret|privatekey|privatekeyid|token|accesstoken|refreshtoken|idtoken|serviceaccount|credentials?|apisecret)$/;

function findSecretKeys(tree: Node): Located[] {
  const found: Located[] = [];
  walkProperties(tree, [], (keyNode, _, path) => {
    if (secretKey.test(String(keyNode.value).toLowerCase().replace(/[^a-z]/g, ''))) {
      found.push({ node: keyNode, keyPath: keyPathOf(path) });
    }
  });
  return found;
}

function contradictions(tree: Node, config: SyncLensConfig): (Located & { message: string })[] {
  const found: (Located & { message: string })[] = [];
  const firestore = config.firestore;
  if (firestore && typeof firestore === 'object') {
    const firestoreNode = findNodeAtLocation(tree, ['firestore']);
    const keyOf = (key: string): Node => propertyNode(firestoreNode, key)?.children?.[0] ?? firestoreNode ?? tree;
    if (firestore.emulator && firestore.webConfig) {
      found.push({
        node: keyOf('webConfig'),
        keyPath: 'firestore.webConfig',
        message: '"firestore" names both an emulator and a real project\'s webConfig: keep one',
      });
    }
    if (firestore.emulator && firestore.auth) {
      found.push({ node: keyOf('auth'), keyPath: 'firestore.auth', message: '"firestore.auth" applies to a real project, not to the emulator' });
    }
    if (firestore.auth && !firestore.webConfig && !firestore.emulator) {
      found.push({ node: keyOf('auth'), keyPath: 'firestore.auth', message: '"firestore.auth" needs "firestore.webConfig"' });
    }
    const webProject = firestore.webConfig?.projectId;
    if (webProject && firestore.projectId && webProject !== firestore.projectId) {
      found.push({
        node: keyOf('projectId'),
        keyPath: 'firestore.projectId',
        message: `"firestore.projectId" (${firestore.projectId}) differs from "firestore.webConfig.projectId" (${webProject})`,
      });
    }
  }
  return found;
}

// ---- names checked against the database ---------------------------------------------------------

/**
 * Tables and columns the config names that the database lacks, each positioned on the name and
 * with the closest existing name as a suggestion. Run on a text whose checkConfigText is clean.
 */
export function checkConfigAgainstDatabase(text: string, file: string, schema: SchemaInfo): ConfigProblem[] {
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!tree || tree.type !== 'object') return [];
  const positions = new LineIndex(text);
  const problems: ConfigProblem[] = [];
  const tables = new Map(schema.tables.filter((table) => table.kind === 'table').map((table) => [table.name, table]));
  const tableNames = [...tables.keys()];
  const report = (node: Node, path: PathSegment[], message: string, suggestion: string | null): void => {
    const { line, column } = positions.position(node.offset);
    const problem: ConfigProblem = { file, line, column, offset: node.offset, length: node.length, keyPath: keyPathOf(path), message };
    if (suggestion) problem.suggestion = suggestion;
    problems.push(problem);
  };
  const checkTable = (node: Node | undefined, path: PathSegment[]): string[] | null => {
    if (!node || typeof node.value !== 'string') return null;
    const table = tables.get(node.value);
    if (table) return table.columns.map((column) => column.name);
    const suggestion = closest(node.value, tableNames);
    report(node, path, `table "${node.value}" does not exist in the database${suggestion ? `: did you mean "${suggestion}"?` : ''}`, suggestion);
    return null;
  };
  const checkColumn = (node: Node | undefined, path: PathSegment[], table: string, columns: readonly string[]): void => {
    if (!node || typeof node.value !== 'string' || columns.includes(node.value)) return;
    const suggestion = closest(node.value, columns);
    report(node, path, `table "${table}" has no column "${node.value}"${suggestion ? `: did you mean "${suggestion}"?` : ''}`, suggestion);
  };
  const checkColumnMap = (parent: Node | undefined, base: PathSegment[], table: string, columns: readonly string[]): void => {
    for (const property of findNodeAtLocation(parent ?? tree, ['columns'])?.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (keyNode && valueNode) checkColumn(valueNode, [...base, 'columns', String(keyNode.value)], table, columns);
    }
    for (const property of findNodeAtLocation(parent ?? tree, ['timestampEncodings'])?.children ?? []) {
      const keyNode = property.children?.[0];
      if (keyNode) checkColumn(keyNode, [...base, 'timestampEncodings', String(keyNode.value)], table, columns);
    }
  };

  const queueNode = findNodeAtLocation(tree, ['queue']);
  if (queueNode?.type === 'object') {
    const tableNode = findNodeAtLocation(queueNode, ['table']);
    const columns = checkTable(tableNode, ['queue', 'table']);
    if (columns) checkColumnMap(queueNode, ['queue'], String(tableNode?.value), [...columns, 'rowid']);
  }
  const stateNode = findNodeAtLocation(tree, ['state']);
  if (stateNode?.type === 'object') {
    const tableNode = findNodeAtLocation(stateNode, ['table']);
    const columns = checkTable(tableNode, ['state', 'table']);
    if (columns) {
      for (const part of ['keyColumn', 'valueColumn']) {
        checkColumn(findNodeAtLocation(stateNode, [part]), ['state', part], String(tableNode?.value), columns);
      }
    }
  }
  for (const property of findNodeAtLocation(tree, ['entities'])?.children ?? []) {
    const [keyNode, entityNode] = property.children ?? [];
    if (!keyNode) continue;
    const table = String(keyNode.value);
    const columns = checkTable(keyNode, ['entities', table]);
    if (!columns || entityNode?.type !== 'object') continue;
    checkColumnMap(entityNode, ['entities', table], table, columns);
    (findNodeAtLocation(entityNode, ['jsonColumns'])?.children ?? []).forEach((item, index) =>
      checkColumn(item, ['entities', table, 'jsonColumns', index], table, columns),
    );
  }
  return problems.sort((a, b) => a.offset - b.offset);
}
