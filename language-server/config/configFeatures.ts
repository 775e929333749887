// synclens.json in the editor: diagnostics from core/config (the one parser and validator), then
// table and column names checked against the configured databases; completion and hover driven by
// schemas/synclens.schema.json; a quick fix for a misspelt table or column name.
import { getLocation, parse, type JSONPath } from 'jsonc-parser';
import { readdirSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Position,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { configFileName, type ConfigProblem, type SyncLensConfig } from '../../core/config/config';
import { checkConfigAgainstDatabase } from '../../core/config/databaseCheck';
import { compileDatabaseGlob, databaseGlobsOf } from '../../core/config/databaseGlobs';
import { checkConfigText, configJsonSchema, nestedTooDeepAt } from '../../core/config/validate';
import type { SchemaInfo } from '../../core/db/types';
import type { SchemaService } from '../database/schemaService';
import type { SchemaSnapshot } from '../database/workerProtocol';
import { markdownCode, markdownText } from '../markdown';
import { SchemaIndex } from '../sql/schemaIndex';
import { columnMarkdown, tableMarkdown } from '../sql/sqlFeatures';
import { schemaAt, schemaKeyKind, schemaValueKind, type JsonSchemaNode } from './jsonSchema';

export function isConfigDocument(uri: string): boolean {
  return uri.endsWith(`/${configFileName}`);
}

/** Diagnostic.data for a problem with a suggested replacement. */
interface SuggestionData {
  suggestion: string;
}

function isSuggestionData(value: unknown): value is SuggestionData {
  return typeof value === 'object' && value !== null && 'suggestion' in value && typeof value.suggestion === 'string';
}

const maxDatabases = 5;
const maxSearchDepth = 4;

export class ConfigFeatures {
  private readonly schema = configJsonSchema() as JsonSchemaNode;

  constructor(private readonly service: SchemaService) {}

  async diagnostics(document: TextDocument): Promise<Diagnostic[]> {
    const path = pathOf(document.uri);
    const text = document.getText();
    const checked = checkConfigText(text, path ?? document.uri);
    if (!checked.config || checked.problems.length > 0 || !path) return checked.problems.map((problem) => toDiagnostic(document, problem));
    const snapshots = await this.databasesOf(path, checked.config);
    if (snapshots.length === 0) return [];
    // A name is wrong only when no configured database has it (the folder may hold several).
    const perDatabase = snapshots.map((snapshot) => checkConfigAgainstDatabase(text, path, asSchemaInfo(snapshot)));
    const [first, ...others] = perDatabase;
    const everywhere = first.filter((problem) => others.every((problems) => problems.some((other) => other.offset === problem.offset)));
    return everywhere.map((problem) => toDiagnostic(document, problem));
  }

  codeActions(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
    return diagnostics.flatMap((diagnostic): CodeAction[] => {
      if (!isSuggestionData(diagnostic.data)) return [];
      const newText = JSON.stringify(diagnostic.data.suggestion);
      return [
        {
          title: `Change to ${newText}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText }] } },
        },
      ];
    });
  }

  /** `snippets`: the client declared snippetSupport; otherwise keys come with a plain placeholder value. */
  async completion(document: TextDocument, position: Position, snippets: boolean): Promise<CompletionItem[]> {
    const text = document.getText();
    // jsonc-parser's getLocation and parse recurse per level: a text nested too deep would overflow
    // the stack. Its diagnostic (core/config/validate.ts) already says where.
    if (nestedTooDeepAt(text) !== null) return [];
    const offset = document.offsetAt(position);
    const location = getLocation(text, offset);
    const node = location.previousNode;
    const inString = node?.type === 'string' && offset > node.offset && offset <= node.offset + node.length;
    const range = inString && node ? { start: document.positionAt(node.offset), end: document.positionAt(node.offset + node.length) } : undefined;
    const edit = (newText: string, plainText = newText): Pick<CompletionItem, 'textEdit' | 'insertText' | 'insertTextFormat'> => {
      const text = snippets ? newText : plainText;
      return {
        ...(range ? { textEdit: { range, newText: text } } : { insertText: text }),
        ...(snippets && newText !== plainText ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
      };
    };

    if (location.isAtPropertyKey) {
      const objectPath = location.path.slice(0, -1);
      const objectSchema = schemaAt(this.schema, objectPath);
      if (!objectSchema) return [];
      const present = new Set(Object.keys(valueAt(text, objectPath) ?? {}));
      const items: CompletionItem[] = [];
      for (const [key, property] of Object.entries(objectSchema.node.properties ?? {})) {
        if (present.has(key)) continue;
        const resolved = schemaAt(this.schema, [...objectPath, key]);
        items.push({
          label: key,
          kind: CompletionItemKind.Property,
          documentation: resolved?.description ? { kind: MarkupKind.Markdown, value: resolved.description } : undefined,
          filterText: range ? `"${key}"` : key,
          ...edit(`"${key}": ${valueSnippet(resolved?.node ?? property)}`, `"${key}": ${plainValue(resolved?.node ?? property)}`),
        });
      }
      const keyKind = schemaKeyKind(this.schema, objectPath);
      if (keyKind) {
        for (const name of await this.names(document, keyKind, objectPath)) {
          if (present.has(name)) continue;
          items.push({
            label: name,
            kind: keyKind === 'table' ? CompletionItemKind.Class : CompletionItemKind.Field,
            detail: keyKind === 'table' ? 'table' : 'column',
            filterText: range ? JSON.stringify(name) : name,
            ...edit(`${JSON.stringify(name)}: ${keyKind === 'table' ? '{$0}' : '"$0"'}`, `${JSON.stringify(name)}: ${keyKind === 'table' ? '{}' : '""'}`),
          });
        }
      }
      return items;
    }

    const resolved = schemaAt(this.schema, location.path);
    if (!resolved) return [];
    const items: CompletionItem[] = [];
    for (const value of resolved.node.enum ?? []) {
      const literal = JSON.stringify(value);
      items.push({ label: literal, kind: CompletionItemKind.EnumMember, filterText: literal, ...edit(literal) });
    }
    if (!resolved.node.enum && includesType(resolved.node, 'boolean')) {
      for (const literal of ['true', 'false']) items.push({ label: literal, kind: CompletionItemKind.Value, ...edit(literal) });
    }
    const valueKind = schemaValueKind(this.schema, location.path);
    if (valueKind) {
      for (const name of await this.names(document, valueKind, location.path)) {
        const literal = JSON.stringify(name);
        items.push({
          label: name,
          kind: valueKind === 'table' ? CompletionItemKind.Class : CompletionItemKind.Field,
          detail: valueKind,
          filterText: literal,
          ...edit(literal),
        });
      }
    }
    return items;
  }

  async hover(document: TextDocument, position: Position): Promise<Hover | null> {
    const text = document.getText();
    if (nestedTooDeepAt(text) !== null) return null;
    const offset = document.offsetAt(position);
    const location = getLocation(text, offset);
    const node = location.previousNode;
    if (!node || offset < node.offset || offset > node.offset + node.length) return null;
    // On a key or on its value, the path names the same property.
    const path = location.path;
    const resolved = schemaAt(this.schema, path);
    const sections: string[] = [];
    if (resolved?.description) {
      const key = path.length > 0 ? String(path[path.length - 1]) : 'synclens.json';
      const enumLine = resolved.node.enum ? `\n\nOne of: ${resolved.node.enum.map((value) => markdownCode(JSON.stringify(value))).join(', ')}` : '';
      sections.push(`**${markdownText(key)}**\n\n${resolved.description}${enumLine}`);
    }
    const named = await this.namedObject(document, location.isAtPropertyKey, path, typeof node.value === 'string' ? node.value : null);
    if (named) sections.push(named);
    if (sections.length === 0) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
      range: { start: document.positionAt(node.offset), end: document.positionAt(node.offset + node.length) },
    };
  }

  /** What the database says of the table or column a name in the config refers to. */
  private async namedObject(document: TextDocument, atKey: boolean, path: JSONPath, name: string | null): Promise<string | null> {
    if (name === null) return null;
    const kind = atKey ? schemaKeyKind(this.schema, path.slice(0, -1)) : schemaValueKind(this.schema, path);
    const file = pathOf(document.uri);
    if (!kind || !file) return null;
    const checked = checkConfigText(document.getText(), file);
    const config = checked.config ?? (valueAt(document.getText(), []) as SyncLensConfig | undefined) ?? {};
    const tableName = kind === 'table' ? name : tableForPath(document.getText(), path);
    for (const snapshot of await this.databasesOf(file, config)) {
      const index = new SchemaIndex(snapshot);
      const table = tableName === null ? undefined : index.table(tableName);
      if (!table) continue;
      const where = `in ${markdownCode(basename(snapshot.path))}`;
      if (kind === 'table') return `${tableMarkdown(table, index)}\n\n${where}`;
      const column = index.column(table, name);
      if (column) return `${columnMarkdown(table, column)}\n\n${where}`;
    }
    return null;
  }

  /** Table names, or the column names of the table that `path` is about, from the configured databases. */
  private async names(document: TextDocument, kind: 'table' | 'column', path: JSONPath): Promise<string[]> {
    const file = pathOf(document.uri);
    if (!file) return [];
    const checked = checkConfigText(document.getText(), file);
    const config = checked.config ?? (valueAt(document.getText(), []) as SyncLensConfig | undefined) ?? {};
    const snapshots = await this.databasesOf(file, config);
    const names = new Set<string>();
    const table = kind === 'column' ? tableForPath(document.getText(), path) : null;
    for (const snapshot of snapshots) {
      for (const candidate of snapshot.tables) {
        // An entity may be a view (PowerSync's); the queue and the state are tables.
        if (kind === 'table' && (candidate.kind === 'table' || path[0] === 'entities')) names.add(candidate.name);
        if (kind === 'column' && candidate.name === table) for (const column of candidate.columns) names.add(column.name);
      }
    }
    return [...names];
  }

  /** Snapshots of the databases the config's globs match (nearest first, at most a few). */
  private async databasesOf(configPath: string, config: SyncLensConfig): Promise<SchemaSnapshot[]> {
    const folder = dirname(configPath);
    const patterns = databaseGlobsOf(config).map(compileDatabaseGlob);
    const files = findFiles(folder, maxSearchDepth)
      .filter((file) => patterns.some((pattern) => pattern.test(relative(folder, file).split(sep).join('/'))))
      .slice(0, maxDatabases);
    const outcomes = await Promise.all(files.map((file) => this.service.snapshot(file)));
    return outcomes.flatMap((outcome) => (outcome.kind === 'loaded' ? [outcome.snapshot] : []));
  }
}

function pathOf(uri: string): string | null {
  return uri.startsWith('file:') ? fileURLToPath(uri) : null;
}

function toDiagnostic(document: TextDocument, problem: ConfigProblem): Diagnostic {
  return {
    range: { start: document.positionAt(problem.offset), end: document.positionAt(problem.offset + Math.max(problem.length, 1)) },
    severity: DiagnosticSeverity.Error,
    source: 'synclens.json',
    code: problem.keyPath || undefined,
    message: problem.message,
    ...(problem.suggestion ? { data: { suggestion: problem.suggestion } satisfies SuggestionData } : {}),
  };
}

function asSchemaInfo(snapshot: SchemaSnapshot): SchemaInfo {
  return {
    tables: snapshot.tables.map((table) => ({
      name: table.name,
      kind: table.kind,
      rows: table.rows,
      columns: table.columns,
      indexes: [],
      foreignKeys: [],
      withoutRowid: false,
      sql: '',
    })),
  };
}

/** Files below `folder` (sorted, depth-limited), skipping dependencies, VCS and hidden folders. */
function findFiles(folder: string, depth: number): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isFile()) files.push(path);
    else if (entry.isDirectory() && depth > 0) files.push(...findFiles(path, depth - 1));
  }
  return files;
}

function valueAt(text: string, path: JSONPath): Record<string, unknown> | undefined {
  let value: unknown = parse(text, [], { allowTrailingComma: true, disallowComments: false });
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The table a column at `path` belongs to: `entities.<table>.…`, or the `table` beside `queue`/`state`. */
function tableForPath(text: string, path: JSONPath): string | null {
  if (path[0] === 'entities' && typeof path[1] === 'string') return path[1];
  if (path[0] === 'queue' || path[0] === 'state') {
    const table = valueAt(text, [path[0]])?.table;
    return typeof table === 'string' ? table : null;
  }
  return null;
}

function includesType(node: JsonSchemaNode, type: string): boolean {
  return node.type === type || (Array.isArray(node.type) && node.type.includes(type));
}

/** The value a key completes with when the client takes no snippets: the first choice, or an empty one. */
function plainValue(node: JsonSchemaNode): string {
  if (node.enum?.length) return JSON.stringify(node.enum[0]);
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'object':
      return '{}';
    case 'array':
      return '[]';
    case 'string':
      return '""';
    case 'boolean':
      return 'false';
    default:
      return '';
  }
}

function valueSnippet(node: JsonSchemaNode): string {
  if (node.enum) return `\${1|${node.enum.map((value) => JSON.stringify(value).replaceAll(',', '\\,')).join(',')}|}`;
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'object':
      return '{$0}';
    case 'array':
      return '[$0]';
    case 'string':
      return '"$0"';
    case 'boolean':
      return '${1|true,false|}';
    default:
      return '$0';
  }
}
