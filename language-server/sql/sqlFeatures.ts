// Completion, hover and diagnostics for a SQL document bound to a database. Pure functions over
// the document text and a schema snapshot, so they are tested without a server.
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Diagnostic,
  type Hover,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SnapshotColumn, SnapshotTable, StatementCheck } from '../database/workerProtocol';
import { SchemaIndex, sqlIdentifier } from './schemaIndex';
import { analyzeCursor, tableReferences, type TableReference } from './scope';
import { statementAt, type SqlStatement } from './statements';
import { identifierName, isIdentifierToken, isKeyword, tokenize, type Token } from './tokenizer';
import { markdownCode, markdownText } from '../markdown';
import { commonKeywords, otherKeywords, sqlFunctions, type SqlFunction } from './vocabulary';

const reservedWords: ReadonlySet<string> = new Set([...commonKeywords.flatMap((keyword) => keyword.split(' ')), ...otherKeywords]);

/** `snippets`: the client declared snippetSupport; otherwise a function is inserted as plain `name(`. */
export function completeSql(
  text: string,
  offset: number,
  statements: readonly SqlStatement[],
  index: SchemaIndex | null,
  snippets: boolean,
): CompletionItem[] {
  const statement = statementAt(statements, offset);
  const segmentStart = statement?.segmentStart ?? previousSegmentEnd(statements, offset);
  const segmentEnd = statement?.segmentEnd ?? offset;
  const segmentTokens = tokenize(text, segmentStart, Math.max(segmentEnd, offset));
  const { context, prefix } = analyzeCursor(segmentTokens, offset);
  if (context.kind === 'none') return [];
  const references = statement ? tableReferences(statement.tokens) : [];
  const quoted = prefix?.kind === 'quoted';
  const edit = (name: string): Pick<CompletionItem, 'textEdit' | 'insertText' | 'filterText'> => {
    const newText = quoted ? `"${name.replaceAll('"', '""')}"` : sqlIdentifier(name, reservedWords);
    if (!prefix) return { insertText: newText };
    return { filterText: quoted ? newText : name, textEdit: { range: rangeOf(text, prefix), newText } };
  };
  const items: CompletionItem[] = [];

  if (context.kind === 'qualified') {
    const table = index && resolveQualifier(index, references, context.qualifier);
    if (table) items.push(...table.columns.map((column, position) => columnItem(table, column, `0${pad(position)}`, edit)));
    return items;
  }
  if (context.kind === 'table') {
    if (!index) return [];
    for (const table of index.tables) {
      if (context.writable && table.kind === 'view') continue;
      items.push(tableItem(table, table.kind === 'table' ? '0' : '1', edit));
    }
    return items;
  }

  const inScope = index ? references.map((reference) => index.table(reference.table)).filter((table) => table !== undefined) : [];
  const seenColumns = new Set<string>();
  for (const [tableOrder, table] of inScope.entries()) {
    for (const [position, column] of table.columns.entries()) {
      const key = column.name.toLowerCase();
      if (seenColumns.has(key)) continue;
      seenColumns.add(key);
      items.push(columnItem(table, column, `1${pad(tableOrder)}${pad(position)}`, edit));
    }
  }
  for (const reference of references) {
    if (reference.alias && index?.table(reference.table)) {
      items.push({ label: reference.alias, kind: CompletionItemKind.Variable, detail: `alias of ${reference.table}`, sortText: '2', ...edit(reference.alias) });
    }
  }
  const hasScope = inScope.length > 0;
  if (index) for (const table of index.tables) items.push(tableItem(table, hasScope ? '3' : '2', edit));
  for (const fn of sqlFunctions) {
    items.push({
      label: fn.name,
      kind: CompletionItemKind.Function,
      detail: fn.signature,
      documentation: fn.description,
      sortText: `4${fn.name}`,
      ...(snippets ? { insertText: `${fn.name}($0)`, insertTextFormat: InsertTextFormat.Snippet } : { insertText: plainCall(fn), insertTextFormat: InsertTextFormat.PlainText }),
    });
  }
  for (const [position, keyword] of commonKeywords.entries()) {
    items.push({ label: keyword, kind: CompletionItemKind.Keyword, sortText: `${hasScope ? '5' : '1'}${pad(position)}` });
  }
  for (const keyword of otherKeywords) items.push({ label: keyword, kind: CompletionItemKind.Keyword, sortText: `6${keyword}` });
  return items;
}

/** `random()` whole; `abs(` left open for its arguments. */
function plainCall(fn: SqlFunction): string {
  return fn.signature.endsWith('()') ? `${fn.name}()` : `${fn.name}(`;
}

function previousSegmentEnd(statements: readonly SqlStatement[], offset: number): number {
  let end = 0;
  for (const statement of statements) if (statement.segmentEnd <= offset) end = statement.segmentEnd;
  return end;
}

function pad(value: number): string {
  return value.toString().padStart(5, '0');
}

function rangeOf(text: string, token: Token): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: positionAt(text, token.start), end: positionAt(text, token.end) };
}

/** Line/character of an offset; completion runs once per request, so a scan is cheap enough. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, character: offset - lineStart };
}

function resolveQualifier(index: SchemaIndex, references: readonly TableReference[], qualifier: string): SnapshotTable | undefined {
  const lower = qualifier.toLowerCase();
  const aliased = references.find((reference) => reference.alias?.toLowerCase() === lower);
  return index.table(aliased ? aliased.table : qualifier);
}

function columnItem(
  table: SnapshotTable,
  column: SnapshotColumn,
  sortText: string,
  edit: (name: string) => Pick<CompletionItem, 'textEdit' | 'insertText' | 'filterText'>,
): CompletionItem {
  return {
    label: column.name,
    labelDetails: { description: table.name },
    kind: CompletionItemKind.Field,
    detail: `${column.type || 'any'}${column.pk ? ' · primary key' : ''}${column.notNull ? ' · not null' : ''}`,
    documentation: { kind: MarkupKind.Markdown, value: columnMarkdown(table, column) },
    sortText,
    ...edit(column.name),
  };
}

function tableItem(table: SnapshotTable, rank: string, edit: (name: string) => Pick<CompletionItem, 'textEdit' | 'insertText' | 'filterText'>): CompletionItem {
  return {
    label: table.name,
    kind: table.kind === 'view' ? CompletionItemKind.Interface : CompletionItemKind.Class,
    detail: tableSummary(table),
    sortText: `${rank}${table.name.toLowerCase()}`,
    ...edit(table.name),
  };
}

function tableSummary(table: SnapshotTable): string {
  const rows = `${table.rows.toLocaleString('en-US')} row${table.rows === 1 ? '' : 's'}`;
  const role = table.role === 'other' ? '' : ` · ${roleLabel(table.role)}`;
  return `${table.kind} · ${rows}${role}`;
}

function roleLabel(role: SnapshotTable['role']): string {
  switch (role) {
    case 'entity':
      return 'synced entity table';
    case 'queue':
      return 'sync queue';
    case 'state':
      return 'sync state';
    default:
      return 'no sync role';
  }
}

export function columnMarkdown(table: SnapshotTable, column: SnapshotColumn): string {
  const facts = [
    `type: ${markdownCode(column.type || 'none declared')}`,
    column.pk ? `primary key${column.pk > 1 || table.columns.filter((other) => other.pk > 0).length > 1 ? ` (part ${column.pk})` : ''}` : null,
    column.notNull ? 'not null' : 'nullable',
    column.defaultValue !== null ? `default: ${markdownCode(column.defaultValue)}` : null,
    column.timestampEncoding ? `timestamp: ${column.timestampEncoding}` : null,
  ].filter((fact) => fact !== null);
  return [
    `**${markdownText(`${table.name}.${column.name}`)}**`,
    '',
    facts.map((fact) => `- ${fact}`).join('\n'),
    '',
    `${table.kind} ${markdownCode(table.name)}: ${tableSummary(table)}`,
  ].join('\n');
}

export function tableMarkdown(table: SnapshotTable, index: SchemaIndex): string {
  const entity = index.snapshot.roles.entities.find((candidate) => candidate.table === table.name);
  const lines = [`**${markdownText(table.name)}** — ${tableSummary(table)}`];
  if (entity) lines.push('', `Synced to the Firestore collection ${markdownCode(entity.collection)}; document id: ${markdownCode(entity.columns.externalId)}.`);
  if (table.role === 'queue') lines.push('', 'The sync queue: operations the app sends to Firestore, oldest first.');
  if (table.error) lines.push('', `SQLite could not read it here: ${markdownText(table.error)}`);
  lines.push('', '| column | type | |', '|---|---|---|');
  for (const column of table.columns.slice(0, 40)) {
    const notes = [column.pk ? 'pk' : '', column.notNull ? 'not null' : '', column.timestampEncoding ?? ''].filter(Boolean).join(', ');
    lines.push(`| ${markdownText(column.name)} | ${markdownText(column.type)} | ${markdownText(notes)} |`);
  }
  if (table.columns.length > 40) lines.push(`| … ${table.columns.length - 40} more | | |`);
  return lines.join('\n');
}

export function hoverSql(text: string, offset: number, statements: readonly SqlStatement[], index: SchemaIndex): Hover | null {
  const statement = statementAt(statements, offset);
  if (!statement) return null;
  const position = statement.tokens.findIndex((token) => token.start <= offset && offset <= token.end && isIdentifierToken(token));
  if (position === -1) return null;
  const token = statement.tokens[position];
  const name = identifierName(token);
  const references = tableReferences(statement.tokens);
  const range = rangeOf(text, token);
  const tableHover = (table: SnapshotTable): Hover => ({ contents: { kind: MarkupKind.Markdown, value: tableMarkdown(table, index) }, range });
  const columnHover = (table: SnapshotTable, column: SnapshotColumn): Hover => ({
    contents: { kind: MarkupKind.Markdown, value: columnMarkdown(table, column) },
    range,
  });

  if (references.some((reference) => reference.token === token)) {
    const table = index.table(name);
    return table ? tableHover(table) : null;
  }
  const previous = statement.tokens[position - 1];
  const qualifier = statement.tokens[position - 2];
  if (previous?.text === '.' && isIdentifierToken(qualifier)) {
    const table = resolveQualifier(index, references, identifierName(qualifier));
    const column = table && index.column(table, name);
    return table && column ? columnHover(table, column) : null;
  }
  if (statement.tokens[position + 1]?.text === '.') {
    const table = resolveQualifier(index, references, name);
    return table ? tableHover(table) : null;
  }
  for (const reference of references) {
    const table = index.table(reference.table);
    const column = table && index.column(table, name);
    if (table && column) return columnHover(table, column);
  }
  const table = index.table(name);
  return table ? tableHover(table) : null;
}

/** SQLite's messages name the offending token in one of these shapes. */
const namedTokenPatterns = [
  /^no such column: (.+)$/,
  /^no such table: (.+)$/,
  /^no such function: (.+)$/,
  /^ambiguous column name: (.+)$/,
  /^table \S+ has no column named (.+)$/,
  /^near "(.+)": syntax error$/,
  /^no such collation sequence: (.+)$/,
];

export function statementDiagnostics(
  document: TextDocument,
  statements: readonly SqlStatement[],
  checks: readonly StatementCheck[],
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [position, check] of checks.entries()) {
    const statement = statements[position];
    if (!statement || check.error === null) continue;
    const token = tokenNamedBy(statement, check.error);
    const start = token?.start ?? statement.start;
    const end = token?.end ?? (check.error === 'incomplete input' ? statement.end : statement.end);
    diagnostics.push({
      range: { start: document.positionAt(start), end: document.positionAt(end) },
      severity: DiagnosticSeverity.Error,
      source: 'SQLite',
      message: check.error,
    });
  }
  return diagnostics;
}

function tokenNamedBy(statement: SqlStatement, message: string): Token | undefined {
  for (const pattern of namedTokenPatterns) {
    const match = pattern.exec(message);
    if (!match) continue;
    const named = match[1];
    if (pattern.source.startsWith('^near')) return statement.tokens.find((token) => token.text === named);
    const parts = named.split('.');
    const last = parts[parts.length - 1].toLowerCase();
    const qualifier = parts.length > 1 ? parts[parts.length - 2].toLowerCase() : null;
    return statement.tokens.find((token, index) => {
      if (!isIdentifierToken(token) || identifierName(token).toLowerCase() !== last) return false;
      if (qualifier === null || qualifier === 'main') return true;
      const before = statement.tokens[index - 2];
      return statement.tokens[index - 1]?.text === '.' && before !== undefined && identifierName(before).toLowerCase() === qualifier;
    });
  }
  return undefined;
}

/** The table an INSERT / REPLACE / UPDATE / DELETE writes, and the verb. */
export function writeTarget(statement: SqlStatement): { verb: string; token: Token; table: string } | null {
  const tokens = statement.tokens;
  let index = 0;
  if (isKeyword(tokens[0], 'WITH')) {
    // Skip the CTEs: the verb is the first top-level INSERT/REPLACE/UPDATE/DELETE after them.
    let depth = 0;
    for (index = 1; index < tokens.length; index++) {
      if (tokens[index].text === '(') depth++;
      else if (tokens[index].text === ')') depth--;
      else if (depth === 0 && isKeyword(tokens[index], 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'SELECT')) break;
    }
  }
  const verbToken = tokens[index];
  if (!isKeyword(verbToken, 'INSERT', 'REPLACE', 'UPDATE', 'DELETE')) return null;
  const verb = verbToken.text.toUpperCase();
  const introducer = verb === 'UPDATE' ? index : tokens.findIndex((token, at) => at > index && isKeyword(token, verb === 'DELETE' ? 'FROM' : 'INTO'));
  if (introducer === -1) return null;
  let at = introducer + 1;
  if (verb === 'UPDATE' && isKeyword(tokens[at], 'OR')) at += 2;
  let token = tokens[at];
  if (tokens[at + 1]?.text === '.' && isIdentifierToken(tokens[at + 2])) token = tokens[at + 2];
  if (!isIdentifierToken(token)) return null;
  return { verb, token, table: identifierName(token) };
}

export function syncedWriteWarnings(document: TextDocument, statements: readonly SqlStatement[], index: SchemaIndex): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const queue = index.snapshot.roles.queue?.table;
  for (const statement of statements) {
    const target = writeTarget(statement);
    if (!target) continue;
    const table = index.table(target.table);
    if (!table || table.role !== 'entity') continue;
    const entity = index.snapshot.roles.entities.find((candidate) => candidate.table === table.name);
    diagnostics.push({
      range: { start: document.positionAt(target.token.start), end: document.positionAt(target.token.end) },
      severity: DiagnosticSeverity.Warning,
      source: 'SyncLens',
      code: 'synced-table-write',
      message:
        `${table.name} is a synced entity table (Firestore collection ${entity?.collection ?? table.name}): the app's sync engine only sends ` +
        `changes queued in ${queue ?? 'its sync queue'}, so this ${target.verb} will never reach Firestore unless a queue operation is added for it.`,
    });
  }
  return diagnostics;
}
