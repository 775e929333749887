// Quick fixes for SQLite's "no such column: emial" and "no such table: user": the closest names the
// bound database has (core/config/suggestions.ts, as synclens.json's did-you-mean), each a code
// action that replaces the name the diagnostic marks. Pure over the document and a schema snapshot.
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { closestNames } from '../../core/config/suggestions';
import { basename } from 'node:path';
import { SchemaIndex, sqlIdentifier } from './schemaIndex';
import { tableReferences } from './scope';
import { statementAt, type SqlStatement } from './statements';
import { identifierName, isIdentifierToken } from './tokenizer';
import { commonKeywords, otherKeywords } from './vocabulary';

const reservedWords: ReadonlySet<string> = new Set([...commonKeywords.flatMap((keyword) => keyword.split(' ')), ...otherKeywords]);
const suggestionsPerName = 3;

type Missing = { kind: 'column' | 'table'; name: string; qualifier: string | null };

/** What a SQLite diagnostic says is missing, or null for every other message. */
function missingName(message: string): Missing | null {
  const column = /^no such column: (.+)$/.exec(message) ?? /^table \S+ has no column named (.+)$/.exec(message);
  if (column) {
    const parts = column[1].split('.');
    return { kind: 'column', name: parts[parts.length - 1], qualifier: parts.length > 1 ? parts[parts.length - 2] : null };
  }
  const table = /^no such table: (.+)$/.exec(message);
  if (table) {
    const parts = table[1].split('.');
    return { kind: 'table', name: parts[parts.length - 1], qualifier: null };
  }
  return null;
}

/** Columns the statement can mean: of the table a qualifier names, else of every table it reads, else of all. */
function columnCandidates(index: SchemaIndex, statement: SqlStatement | undefined, qualifier: string | null): string[] {
  const references = statement ? tableReferences(statement.tokens) : [];
  const lowered = qualifier?.toLowerCase();
  const named = lowered ? references.filter((reference) => reference.alias?.toLowerCase() === lowered || reference.table.toLowerCase() === lowered) : references;
  const tables = named.map((reference) => index.table(reference.table)).filter((table) => table !== undefined);
  return (tables.length > 0 ? tables : index.tables).flatMap((table) => table.columns.map((column) => column.name));
}

export function sqlQuickFixes(document: TextDocument, diagnostics: readonly Diagnostic[], statements: readonly SqlStatement[], index: SchemaIndex): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'SQLite') continue;
    const missing = missingName(diagnostic.message);
    if (!missing) continue;
    const start = document.offsetAt(diagnostic.range.start);
    const end = document.offsetAt(diagnostic.range.end);
    const statement = statementAt(statements, start);
    // Only a diagnostic that marks one whole name token of the text as it is now: one that spans the
    // statement found no token, and one from an older version may mark part of a name typed since.
    const token = statement?.tokens.find((candidate) => candidate.start === start && candidate.end === end);
    if (!token || !isIdentifierToken(token) || identifierName(token).toLowerCase() !== missing.name.toLowerCase()) continue;
    const written = token.text;
    const unquoted = identifierName(token);
    const candidates = missing.kind === 'table' ? index.tables.map((table) => table.name) : columnCandidates(index, statement, missing.qualifier);
    for (const [rank, name] of closestNames(missing.name, candidates, suggestionsPerName).entries()) {
      const newText = written === unquoted ? sqlIdentifier(name, reservedWords) : `"${name.replaceAll('"', '""')}"`;
      actions.push({
        title: `Change to '${name}' (${missing.kind} of ${basename(index.snapshot.path)})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: rank === 0,
        edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText }] } },
      });
    }
  }
  return actions;
}
