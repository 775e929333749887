// The names a synclens.json gives (queue, state and entity tables, their columns) checked against a
// database's schema: each missing one positioned on the name, with the closest existing name as a
// suggestion (the language server's quick fix).
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { SchemaInfo } from '../db/types';
import type { ConfigProblem } from './config';
import { keyPathOf, LineIndex, type PathSegment } from './jsonTree';
import { closest } from './suggestions';
import { hasSourceTables, missingSourceMessage } from '../queue/detect';
import { nestedTooDeepAt } from './validate';

/**
 * Tables and columns the config names that the database lacks, each positioned on the name and
 * with the closest existing name as a suggestion. Run on a text whose checkConfigText is clean.
 */
export function checkConfigAgainstDatabase(text: string, file: string, schema: SchemaInfo): ConfigProblem[] {
  // checkConfigText reports such a text; parsing it here would overflow the stack.
  if (nestedTooDeepAt(text) !== null) return [];
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!tree || tree.type !== 'object') return [];
  const positions = new LineIndex(text);
  const problems: ConfigProblem[] = [];
  const tables = new Map(schema.tables.filter((table) => table.kind === 'table').map((table) => [table.name, table]));
  // An entity may be a view (PowerSync's views over its ps_data__ tables); the queue and state are tables.
  const entityTables = new Map(schema.tables.map((table) => [table.name, table]));
  const report = (node: Node, path: PathSegment[], message: string, suggestion: string | null): void => {
    const { line, column } = positions.position(node.offset);
    const problem: ConfigProblem = { file, line, column, offset: node.offset, length: node.length, keyPath: keyPathOf(path), message };
    if (suggestion) problem.suggestion = suggestion;
    problems.push(problem);
  };
  const checkTable = (node: Node | undefined, path: PathSegment[], among = tables): string[] | null => {
    if (!node || typeof node.value !== 'string') return null;
    const table = among.get(node.value);
    if (table) return table.columns.map((column) => column.name);
    const suggestion = closest(node.value, [...among.keys()]);
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
  const kindNode = queueNode?.type === 'object' ? findNodeAtLocation(queueNode, ['kind']) : undefined;
  const kind = kindNode?.value as unknown;
  const tableValue = queueNode?.type === 'object' ? (findNodeAtLocation(queueNode, ['table'])?.value as unknown) : undefined;
  if (kindNode && (kind === 'powersync' || kind === 'brick' || kind === 'firestore-sdk')) {
    const table = typeof tableValue === 'string' ? tableValue : undefined;
    if (!hasSourceTables(schema, kind, table) && (table === undefined || tables.has(table))) report(kindNode, ['queue', 'kind'], missingSourceMessage(kind, table), null);
  }
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
    const columns = checkTable(keyNode, ['entities', table], entityTables);
    if (!columns || entityNode?.type !== 'object') continue;
    checkColumnMap(entityNode, ['entities', table], table, columns);
    (findNodeAtLocation(entityNode, ['jsonColumns'])?.children ?? []).forEach((item, index) =>
      checkColumn(item, ['entities', table, 'jsonColumns', index], table, columns),
    );
  }
  return problems.sort((a, b) => a.offset - b.offset);
}
