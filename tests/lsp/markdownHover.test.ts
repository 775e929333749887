// Hovers over names from a hostile database: a table, a column, its type and default, and the
// database file's own name carry Markdown, HTML, links and line breaks. Rendered as a client would
// (tests/lsp/markdown.ts), each shows as the text it is: no link, image, HTML or emphasis appears,
// and the names read back exactly (line breaks as spaces).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { sqlite3 } from '../helpers/sqliteCli';
import { makeAppFolder, type AppFolder } from './fixture';
import { startServer, type LspSession } from './lspClient';
import { renderMarkdown, tokenTypesFromData, type RenderedMarkdown } from './markdown';

const table = 'evil` **x** [click](https://evil.example/) <img src=x onerror=alert(1)> _u_ www.evil.example |\n# heading';
const column = 'c``<b>x</b>` | ![i](x.png)';
const columnType = 'TEXT](javascript:alert(1))';
const columnDefault = "'<i>x</i> `` http://evil.example/'";
const databaseName = "db`<img src=y>`[x](https:evil.example) *y* www.evil.example.db";

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** What a hover may show for a name: itself, with each line break as a space. */
const shown = (name: string): string => name.replaceAll('\n', ' ');

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function assertOnlyText(rendered: RenderedMarkdown, markdown: string): void {
  for (const type of tokenTypesFromData) assert.ok(!rendered.tokenTypes.has(type), `the hover renders a ${type}:\n${markdown}`);
}

describe('language server: hovers show data from the database as text', () => {
  let app: AppFolder;
  let session: LspSession;
  before(async () => {
    app = makeAppFolder();
    sqlite3(
      join(app.dir, databaseName),
      `CREATE TABLE ${quoted(table)} ("id" INTEGER PRIMARY KEY, ${quoted(column)} ${quoted(columnType)} NOT NULL DEFAULT ${columnDefault});
       INSERT INTO ${quoted(table)} (${quoted(column)}) VALUES ('a');`,
    );
    session = await startServer(app.dir);
  });
  after(async () => {
    await session?.close();
    app?.cleanup();
  });

  const hover = async (uri: string, position: { line: number; character: number }): Promise<string> => {
    const result = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    return (result?.contents as MarkupContent | undefined)?.value ?? '';
  };

  test('a SQL hover on a hostile column and table', async () => {
    const text = `-- synclens: db=${databaseName}\nSELECT ${quoted(column)} FROM ${quoted(table)};`;
    const uri = session.open(join(app.dir, 'hostile.sql'), text);
    assert.deepEqual(await session.diagnostics(uri), [], 'the statement is valid SQL on that database');

    const columnHover = await hover(uri, positionAt(text, text.indexOf(quoted(column)) + 2));
    const renderedColumn = renderMarkdown(columnHover);
    assertOnlyText(renderedColumn, columnHover);
    assert.deepEqual(renderedColumn.strong, [shown(`${table}.${column}`)]);
    assert.ok(renderedColumn.code.includes(columnType), `the type as code: ${JSON.stringify(renderedColumn.code)}`);
    assert.ok(renderedColumn.code.includes(columnDefault), `the default as code: ${JSON.stringify(renderedColumn.code)}`);
    assert.ok(renderedColumn.code.includes(shown(table)), `the table as code: ${JSON.stringify(renderedColumn.code)}`);

    const tableHover = await hover(uri, positionAt(text, text.indexOf(quoted(table)) + 2));
    const renderedTable = renderMarkdown(tableHover);
    assertOnlyText(renderedTable, tableHover);
    assert.deepEqual(renderedTable.strong, [shown(table)]);
    assert.deepEqual(
      renderedTable.cells.map((row) => row.slice(0, 2)),
      [
        ['column', 'type'],
        ['id', 'INTEGER'],
        [column, columnType],
      ],
      'one row per column: a | in a name does not split its cell',
    );
  });

  test('a synclens.json hover names a hostile database file and table as text', async () => {
    const text = JSON.stringify({ databases: ['*.db'], entities: { [table]: { collection: 'things' } } }, null, 2);
    const uri = session.open(join(app.dir, 'synclens.json'), text);
    const markdown = await hover(uri, positionAt(text, text.indexOf(JSON.stringify(table)) + 2));
    const rendered = renderMarkdown(markdown);
    assertOnlyText(rendered, markdown);
    assert.ok(rendered.code.includes(databaseName), `the database's file name as code: ${JSON.stringify(rendered.code)}\n${markdown}`);
    assert.ok(rendered.strong.includes(shown(table)), `the table's name in bold: ${JSON.stringify(rendered.strong)}`);
  });
});
