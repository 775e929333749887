// Detects the part each table plays in the app's sync (DESIGN.md "The app database conventions"):
// entity tables, the queue table and the sync-state table, in camelCase, snake_case and Isar
// class-named schemas. Names find the candidates; sampled values decide timestamp encodings, JSON
// columns and whether the queue stores `operation` as text or as the enum's ordinal.
import type { SqlDatabase } from './sqlDatabase';
import { asNumber, asText, queryAll, quoteIdentifier } from './query';
import { detectTimestampEncoding, hasTimestampName } from './timestamps';
import { checkTimeZone } from '../queue/localTime';
import { findColumn, normalize, SyncRolesConfigError } from './roleNames';
import { detectState, stateRole } from './stateRole';

export { SyncRolesConfigError } from './roleNames';
export { readSyncState } from './stateRole';
import type {
  EntityColumns,
  EntityTableRole,
  QueueColumns,
  QueueLastErrors,
  QueueTableRole,
  SchemaInfo,
  SqlValue,
  StateTableRole,
  SyncRole,
  SyncRoles,
  TableInfo,
  TimestampEncoding,
} from './types';

/**
 * What `synclens.json` may say about roles. Every part is optional and fills or overrides what
 * detection finds:
 * - `queue`: the queue table; `columns` names only the columns that differ from detection;
 *   `null` says the database has no queue (detection is skipped).
 * - `entities`: entity tables, merged by table name with the detected ones (a listed table is an
 *   entity even when detection would not think so; detected tables not listed stay entities).
 * - `state`: the key/value sync-state table, or `null` for none.
 * Timestamp encodings given here win over sampled ones, column by column.
 */
export interface SyncRoleOverrides {
  queue?: QueueOverride | null;
  entities?: EntityOverride[];
  state?: (Partial<StateTableRole> & { table: string }) | null;
}

export type QueueOverride = Partial<Omit<QueueTableRole, 'table' | 'columns'>> & {
  table: string;
  columns?: Partial<QueueColumns>;
};

export type EntityOverride = Partial<Omit<EntityTableRole, 'table' | 'columns'>> & {
  table: string;
  columns?: Partial<EntityColumns>;
};

const sampleSize = 100;


const entityColumnNames = {
  externalId: ['odid', 'externalid', 'remoteid', 'firestoreid', 'documentid', 'docid', 'serverid', 'cloudid', 'syncid', 'uuid', 'guid'],
  createdAt: ['createdat', 'created', 'createdon', 'creationdate', 'createdtime', 'createddate'],
  updatedAt: ['updatedat', 'updated', 'updatedon', 'modifiedat', 'lastmodified', 'modified', 'lastupdated', 'updatedtime'],
  isSynced: ['issynced', 'synced', 'insync'],
  isDeleted: ['isdeleted', 'deleted', 'softdeleted', 'istrashed'],
  version: ['version', 'revision', 'rev'],
} as const;

const queueColumnNames = {
  entityType: ['entitytype', 'entity', 'entityname', 'collection', 'collectionname', 'tablename'],
  entityId: ['entityid', 'documentid', 'docid', 'recordid', 'odid'],
  operation: ['operation', 'operationtype', 'op', 'action', 'optype', 'kind'],
  payload: ['payload', 'data', 'body', 'json', 'document'],
  createdAt: ['createdat', 'created', 'enqueuedat', 'queuedat', 'timestamp', 'createdon', 'ts'],
  retryCount: ['retrycount', 'retries', 'attempts', 'attemptcount', 'retry', 'tries', 'trycount'],
  lastAttempt: ['lastattempt', 'lastattemptat', 'lastattemptedat', 'lasttriedat', 'lastretryat', 'lastretry'],
  lastError: ['lasterror', 'lasterrormessage', 'error', 'errormessage'],
} as const;

const queueTableNames = ['syncoperations', 'syncoperation', 'syncqueue', 'syncops', 'outbox', 'pendingoperations', 'operationqueue', 'pendingsync'];

export function detectRoles(db: SqlDatabase, schema: SchemaInfo, overrides: SyncRoleOverrides = {}): SyncRoles {
  const tables = schema.tables.filter((table) => table.kind === 'table' && table.error === undefined);
  const byName = new Map(tables.map((table) => [table.name, table]));
  const requireTable = (name: string, part: string): TableInfo => {
    const table = byName.get(name);
    if (!table) throw new SyncRolesConfigError(`${part} table "${name}" does not exist in the database`);
    return table;
  };

  const queue =
    overrides.queue === null
      ? null
      : overrides.queue
        ? queueRole(db, requireTable(overrides.queue.table, 'queue'), overrides.queue)
        : detectQueue(db, tables);

  const taken = new Set(queue ? [queue.table] : []);
  const state =
    overrides.state === null
      ? null
      : overrides.state
        ? stateRole(requireTable(overrides.state.table, 'state'), overrides.state)
        : detectState(db, tables.filter((table) => !taken.has(table.name)));
  if (state) taken.add(state.table);

  const configured = new Map((overrides.entities ?? []).map((entity) => [entity.table, entity]));
  const queuedTypes = queue ? queuedEntityTypes(db, queue) : new Set<string>();
  const entities: EntityTableRole[] = [];
  // A view is an entity only where synclens.json names it (PowerSync's views: core/queue/powerSyncState.ts).
  const namedViews = schema.tables.filter((table) => table.kind === 'view' && table.error === undefined && configured.has(table.name));
  for (const view of namedViews) byName.set(view.name, view);
  for (const table of [...tables, ...namedViews]) {
    const override = configured.get(table.name);
    if (!override && taken.has(table.name)) continue;
    const role = entityRole(db, table, override, queuedTypes);
    if (role) entities.push(role);
  }
  for (const name of configured.keys()) {
    requireTable(name, 'entity');
    if (!entities.some((entity) => entity.table === name)) {
      throw new SyncRolesConfigError(`entity table "${name}" has no external id column: set columns.externalId`);
    }
  }
  return { entities, queue, state };
}

export function roleOfTable(roles: SyncRoles, table: string): SyncRole {
  if (roles.queue?.table === table) return 'queue';
  if (roles.state?.table === table) return 'state';
  if (roles.entities.some((entity) => entity.table === table)) return 'entity';
  return 'other';
}

/** The entity table a queue row's `entityType` names (`users`, `user`, `UserModel`, ...), or null. */
export function entityRoleForType(roles: SyncRoles, entityType: string): EntityTableRole | null {
  const wanted = normalize(entityType);
  return (
    roles.entities.find((entity) => entity.entityTypes.includes(entityType)) ??
    roles.entities.find((entity) => entity.entityTypes.some((type) => normalize(type) === wanted)) ??
    null
  );
}

/** entityRoleForType once per entity type (it normalises the name on every call), not once per op. */
export function rolesByEntityType(roles: SyncRoles): (entityType: string) => EntityTableRole | null {
  const known = new Map<string, EntityTableRole | null>();
  return (entityType) => {
    let role = known.get(entityType);
    if (role === undefined) {
      role = entityRoleForType(roles, entityType);
      known.set(entityType, role);
    }
    return role;
  };
}

// ---- entities ---------------------------------------------------------------------------------

/** The entity types the queue names, normalised: a table they name is an entity even without sync flags. */
function queuedEntityTypes(db: SqlDatabase, queue: QueueTableRole): Set<string> {
  const column = quoteIdentifier(queue.columns.entityType);
  const { rows } = queryAll(db, `SELECT DISTINCT ${column} FROM main.${quoteIdentifier(queue.table)} LIMIT 1000`);
  return new Set(rows.map((row) => normalize(asText(row[0] ?? null) ?? '')));
}

function entityRole(db: SqlDatabase, table: TableInfo, override: EntityOverride | undefined, queuedTypes: ReadonlySet<string>): EntityTableRole | null {
  const given = override?.columns ?? {};
  const detected = detectEntityColumns(table);
  const columns: EntityColumns = {
    localId: pick(given.localId, detected.localId),
    externalId: pick(given.externalId, detected.externalId) ?? '',
    createdAt: pick(given.createdAt, detected.createdAt),
    updatedAt: pick(given.updatedAt, detected.updatedAt),
    isSynced: pick(given.isSynced, detected.isSynced),
    isDeleted: pick(given.isDeleted, detected.isDeleted),
    version: pick(given.version, detected.version),
  };
  if (columns.externalId === '') return null;
  const hasSyncColumn = columns.isSynced !== null || columns.isDeleted !== null || columns.updatedAt !== null;
  const collection = override?.collection ?? collectionForTable(table.name);
  const entityTypes = override?.entityTypes ?? entityTypesFor(table.name, collection);
  const queued = entityTypes.some((type) => queuedTypes.has(normalize(type)));
  if (!override && !hasSyncColumn && !queued) return null;
  for (const [part, column] of Object.entries(columns)) {
    if (column !== null && !table.columns.some((candidate) => candidate.name === column)) {
      throw new SyncRolesConfigError(`entity table "${table.name}": column "${column}" (${part}) does not exist`);
    }
  }

  const { timestampEncodings, jsonColumns } = sampleEntityColumns(db, table, columns);
  return {
    table: table.name,
    collection,
    entityTypes,
    columns,
    timestampEncodings: { ...timestampEncodings, ...override?.timestampEncodings },
    jsonColumns: override?.jsonColumns ?? jsonColumns,
  };
}

/** An explicit `null` in config means "this table has no such column". */
function pick(given: string | null | undefined, detected: string | null): string | null {
  return given === undefined ? detected : given;
}

function detectEntityColumns(table: TableInfo): EntityColumns {
  const columns = table.columns;
  const primaryKey = columns.filter((column) => column.pk > 0);
  const integerKey = primaryKey.length === 1 && /INT/i.test(primaryKey[0]!.type) ? primaryKey[0]!.name : null;
  let externalId = findColumn(columns, entityColumnNames.externalId);
  // A table keyed by a text id (no separate local id) uses that id as the document id.
  if (!externalId && primaryKey.length === 1 && !/INT/i.test(primaryKey[0]!.type)) externalId = primaryKey[0]!.name;
  // A view has no key: its `id` is the document id (PowerSync's views, named in synclens.json).
  if (!externalId && table.kind === 'view') externalId = findColumn(columns, ['id']);
  const localId = integerKey ?? (table.kind === 'view' ? null : findColumn(columns, ['id', 'localid', 'isarid']));
  return {
    localId: localId === externalId ? null : localId,
    externalId: externalId ?? '',
    createdAt: findColumn(columns, entityColumnNames.createdAt),
    updatedAt: findColumn(columns, entityColumnNames.updatedAt),
    isSynced: findColumn(columns, entityColumnNames.isSynced),
    isDeleted: findColumn(columns, entityColumnNames.isDeleted),
    version: findColumn(columns, entityColumnNames.version),
  };
}

function sampleEntityColumns(
  db: SqlDatabase,
  table: TableInfo,
  columns: EntityColumns,
): { timestampEncodings: Record<string, TimestampEncoding>; jsonColumns: string[] } {
  const timestampEncodings: Record<string, TimestampEncoding> = {};
  const jsonColumns: string[] = [];
  const roleColumns = new Set([columns.localId, columns.externalId, columns.isSynced, columns.isDeleted, columns.version]);
  const timeColumns = new Set([columns.createdAt, columns.updatedAt]);
  for (const column of table.columns) {
    if (roleColumns.has(column.name)) continue;
    const named = timeColumns.has(column.name) || hasTimestampName(column.name) || /DATE|TIME/i.test(column.type);
    const textual = !/INT|REAL|FLOA|DOUB|NUM|DEC|BOOL|BLOB/i.test(column.type);
    if (!named && !textual) continue;
    const samples = sampleColumn(db, table.name, column.name);
    const encoding = named || samples.every((value) => typeof value === 'string') ? detectTimestampEncoding(samples, column.name) : null;
    if (encoding) timestampEncodings[column.name] = encoding;
    else if (textual && samples.length > 0 && samples.every(isJsonContainerText)) jsonColumns.push(column.name);
  }
  return { timestampEncodings, jsonColumns };
}

function sampleColumn(db: SqlDatabase, table: string, column: string): SqlValue[] {
  const name = quoteIdentifier(column);
  return queryAll(db, `SELECT ${name} FROM main.${quoteIdentifier(table)} WHERE ${name} IS NOT NULL LIMIT ${sampleSize}`).rows.map(
    (row) => row[0] ?? null,
  );
}

function isJsonContainerText(value: SqlValue): boolean {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  if (!(text.startsWith('{') && text.endsWith('}')) && !(text.startsWith('[') && text.endsWith(']'))) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Firestore collection for a table: an Isar class name becomes the camelCase plural the app's
 * repositories use (`UserModel` -> `users`, `BlogPostEntity` -> `blogPosts`); other names are
 * taken as they are (`users`, `user_profiles`).
 */
export function collectionForTable(table: string): string {
  if (!/^[A-Z]/.test(table) || !/[a-z]/.test(table) || /[^A-Za-z0-9]/.test(table)) return table;
  const base = table.replace(/(?:Model|Entity|Dto|Record|Document|Doc)$/, '') || table;
  return pluralize(base.charAt(0).toLowerCase() + base.slice(1));
}

/** Every spelling a queue row may use for this table's entity type. */
export function entityTypesFor(table: string, collection: string): string[] {
  const singular = singularize(collection);
  const words = singular
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  const pascal = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return [...new Set([table, collection, singular, pascal, `${pascal}Model`])];
}

function pluralize(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

function singularize(word: string): string {
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(?:sses|xes|zes|ches|shes)$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

// ---- queue ------------------------------------------------------------------------------------

function detectQueueColumns(table: TableInfo): Partial<QueueColumns> {
  const columns = table.columns;
  const primaryKey = columns.filter((column) => column.pk > 0);
  const found: Partial<QueueColumns> = {};
  // A text op id (a UUID, as drift apps use) cannot order or number the ops: the rowid does.
  const integerId = (name: string | null): string | null =>
    name !== null && /INT/i.test(columns.find((column) => column.name === name)?.type ?? '') ? name : null;
  const id = primaryKey.length === 1 ? integerId(primaryKey[0]!.name) : integerId(findColumn(columns, ['id']));
  if (id) found.id = id;
  for (const [part, candidates] of Object.entries(queueColumnNames) as Array<[keyof typeof queueColumnNames, readonly string[]]>) {
    const column = findColumn(columns, candidates);
    if (column) found[part] = column;
  }
  return found;
}

function detectQueue(db: SqlDatabase, tables: readonly TableInfo[]): QueueTableRole | null {
  const required = ['entityType', 'entityId', 'operation', 'payload', 'createdAt', 'retryCount'] as const;
  const candidates = tables.filter((table) => {
    const columns = detectQueueColumns(table);
    return required.every((part) => columns[part] !== undefined);
  });
  const named = candidates.find((table) => queueTableNames.includes(normalize(table.name)));
  const table = named ?? candidates[0];
  return table ? queueRole(db, table, { table: table.name }) : null;
}

function queueRole(db: SqlDatabase, table: TableInfo, override: QueueOverride): QueueTableRole {
  const detected = detectQueueColumns(table);
  const given = override.columns ?? {};
  const required = (part: 'entityType' | 'entityId' | 'operation' | 'payload' | 'createdAt' | 'retryCount'): string => {
    const column = given[part] ?? detected[part];
    if (!column) throw new SyncRolesConfigError(`queue table "${table.name}" has no ${part} column: set queue.columns.${part}`);
    return column;
  };
  const columns: QueueColumns = {
    // Without an id column the rowid orders and names the operations.
    id: given.id ?? detected.id ?? 'rowid',
    entityType: required('entityType'),
    entityId: required('entityId'),
    operation: required('operation'),
    payload: required('payload'),
    createdAt: required('createdAt'),
    retryCount: required('retryCount'),
    lastAttempt: given.lastAttempt !== undefined ? given.lastAttempt : (detected.lastAttempt ?? null),
    lastError: given.lastError !== undefined ? given.lastError : (detected.lastError ?? null),
  };
  for (const [part, column] of Object.entries(columns)) {
    if (column !== null && column !== 'rowid' && !table.columns.some((candidate) => candidate.name === column)) {
      throw new SyncRolesConfigError(`queue table "${table.name}": column "${column}" (${part}) does not exist`);
    }
  }
  const timestampEncodings: Record<string, TimestampEncoding> = {};
  for (const column of [columns.createdAt, columns.lastAttempt]) {
    if (column === null) continue;
    const encoding = detectTimestampEncoding(sampleColumn(db, table.name, column), column);
    if (encoding) timestampEncodings[column] = encoding;
  }
  const role: QueueTableRole = {
    table: table.name,
    columns,
    operationEncoding: override.operationEncoding ?? detectOperationEncoding(db, table, columns.operation),
    timestampEncodings: { ...timestampEncodings, ...override.timestampEncodings },
  };
  if (override.lastErrors) role.lastErrors = lastErrorsRole(db, table, override.lastErrors);
  if (override.timeZone !== undefined) {
    try {
      checkTimeZone(override.timeZone);
    } catch {
      throw new SyncRolesConfigError(`queue.timeZone "${override.timeZone}" is not a time zone (use an IANA name such as "Europe/Berlin")`);
    }
    role.timeZone = override.timeZone;
  }
  return role;
}

/** The side table and its columns must exist; the queue column joined defaults to its primary key. */
function lastErrorsRole(db: SqlDatabase, queue: TableInfo, given: QueueLastErrors): QueueLastErrors {
  const columnsOf = (table: string): string[] =>
    queryAll(db, 'SELECT name FROM pragma_table_info(?)', [table]).rows.map((row) => asText(row[0] ?? null) ?? '');
  const sideColumns = columnsOf(given.table);
  if (sideColumns.length === 0) throw new SyncRolesConfigError(`queue.lastErrors table "${given.table}" does not exist in the database`);
  for (const [part, column] of [['opId', given.opId], ['error', given.error]] as const) {
    if (!sideColumns.includes(column)) throw new SyncRolesConfigError(`queue.lastErrors table "${given.table}": column "${column}" (${part}) does not exist`);
  }
  const primaryKey = queue.columns.filter((column) => column.pk > 0);
  const queueOpId = given.queueOpId ?? (primaryKey.length === 1 ? primaryKey[0]!.name : 'rowid');
  if (queueOpId !== 'rowid' && !queue.columns.some((column) => column.name === queueOpId)) {
    throw new SyncRolesConfigError(`queue table "${queue.name}": column "${queueOpId}" (lastErrors.queueOpId) does not exist`);
  }
  return { ...given, queueOpId };
}

/** Isar's `@enumerated` stores the ordinal (0 create, 1 update, 2 delete); drift and sqflite store text. */
function detectOperationEncoding(db: SqlDatabase, table: TableInfo, column: string): 'text' | 'ordinal' {
  const samples = sampleColumn(db, table.name, column);
  if (samples.length === 0) {
    const declared = table.columns.find((candidate) => candidate.name === column)?.type ?? '';
    return /INT/i.test(declared) ? 'ordinal' : 'text';
  }
  return samples.every((value) => asNumber(value) !== null) ? 'ordinal' : 'text';
}
