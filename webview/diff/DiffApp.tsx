// The diff of two databases: a tree of tables with their counts on the left; on the right the
// schema changes at the top, then the selected table's added, removed and changed rows in a grid,
// changed cells marked with their value before and after. Data comes only by the protocol; every
// value is rendered as text.
import { useEffect, useState } from 'react';
import type { DiffValue, DiffView, RenderedDiff, RowChange, SchemaChange, TableDiff } from '../../core/protocol/databaseDiff';
import { DiffViewProtocol } from '../../core/protocol/databaseDiff';
import type { RpcEndpoint } from '../../core/protocol/rpc';
import { taggedValueText } from '../../core/protocol/taggedValues';

const sign = { added: '+', removed: '−', changed: '~' } as const;

/** A value as text; a large BLOB (its size and SHA-256 only) reads as what it is. */
function valueText(value: DiffValue | undefined): string {
  const summary = value !== null && typeof value === 'object' && !Array.isArray(value) ? value.$bytesSummary : undefined;
  if (summary !== null && typeof summary === 'object' && !Array.isArray(summary)) return `BLOB(${String(summary.size)} bytes, sha256 ${String(summary.sha256).slice(0, 8)}…)`;
  return taggedValueText(value);
}

function schemaLine(change: SchemaChange): string {
  return `${sign[change.change]} ${change.object} ${change.table ? `${change.table}.` : ''}${change.name}: ${change.detail}`;
}

/** The grid's columns: the key, then every column any listed row shows. */
function gridColumns(table: TableDiff): { keyColumns: string[]; columns: string[] } {
  const keyColumns = table.key ? [...table.key.columns] : [];
  const columns: string[] = [];
  for (const row of table.rows) for (const field of row.fields) if (!keyColumns.includes(field.column) && !columns.includes(field.column)) columns.push(field.column);
  return { keyColumns, columns };
}

function Cell({ row, column }: { row: RowChange; column: string }) {
  const field = row.fields.find((candidate) => candidate.column === column);
  if (!field) return <td />;
  if (row.change === 'added') return <td>{valueText(field.after)}</td>;
  if (row.change === 'removed') return <td>{valueText(field.before)}</td>;
  return (
    <td className="cell-changed" title={`${column}: ${valueText(field.before)} → ${valueText(field.after)}`}>
      <span className="before">{valueText(field.before)}</span> → <span className="after">{valueText(field.after)}</span>
    </td>
  );
}

function TableRows({ table }: { table: TableDiff }) {
  const { keyColumns, columns } = gridColumns(table);
  const unlisted = table.added + table.removed + table.changed - table.rows.length;
  return (
    <section aria-label={`rows of ${table.name}`}>
      <h3>
        {table.name} <span className="count-added">+{table.added}</span> <span className="count-removed">−{table.removed}</span> <span className="count-changed">~{table.changed}</span>{' '}
        <span className="muted">
          ({table.unchanged} unchanged{table.key ? `, matched by ${table.key.kind === 'rowid' ? 'rowid' : table.key.columns.join(', ')}` : ''})
        </span>
      </h3>
      {table.warnings.map((warning, index) => (
        <p key={index} className="diff-warning">
          <span className="codicon codicon-warning" aria-hidden="true" /> {warning}
        </p>
      ))}
      {table.rows.length === 0 ? (
        <p className="muted">No row added, removed or changed.</p>
      ) : (
        <table className="diff-grid">
          <thead>
            <tr>
              <th scope="col">change</th>
              {keyColumns.map((column) => (
                <th key={`key-${column}`} scope="col">
                  {column} (key)
                </th>
              ))}
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, index) => (
              <tr key={index} className={`row-${row.change}`}>
                <td>{row.change}</td>
                {keyColumns.map((column) => (
                  <td key={`key-${column}`}>{valueText(row.key[column])}</td>
                ))}
                {columns.map((column) => (
                  <Cell key={column} row={row} column={column} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unlisted > 0 ? <p className="muted">… and {unlisted} more, counted but not listed.</p> : null}
    </section>
  );
}

export function DiffApp({ endpoint }: { endpoint: RpcEndpoint }) {
  const [view, setView] = useState<DiffView | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    const unsubscribe = endpoint.onNotification(DiffViewProtocol.diff, (next) => {
      setView(next);
      if (next.status === 'compared') {
        const first = next.tables.find((table) => table.added + table.removed + table.changed > 0) ?? next.tables[0];
        setSelected(first?.name ?? null);
      }
    });
    endpoint.sendNotification(DiffViewProtocol.ready, {});
    return unsubscribe;
  }, [endpoint]);

  useEffect(
    () =>
      endpoint.onRequest(DiffViewProtocol.inspectRendered, (): RenderedDiff => {
        const texts = (selector: string): string[] => Array.from(document.querySelectorAll(selector), (element) => (element.textContent ?? '').trim());
        return {
          title: texts('.diff-header').join(' '),
          tables: texts('.diff-tree button'),
          selected: document.querySelector('.diff-tree [aria-selected="true"] .table-name')?.textContent ?? null,
          schema: texts('.schema-changes li'),
          headers: texts('.diff-grid th'),
          rows: Array.from(document.querySelectorAll('.diff-grid tbody tr'), (row) => Array.from(row.querySelectorAll('td'), (cell) => (cell.textContent ?? '').trim())),
          changedCells: texts('.diff-grid td.cell-changed'),
        };
      }),
    [endpoint],
  );

  if (!view) return <p className="muted diff-header">Comparing…</p>;
  if (view.status === 'failed') {
    return (
      <div className="notice error diff-header" role="alert">
        Could not compare {view.beforeName} with {view.afterName}: {view.error}
      </div>
    );
  }
  const table = view.tables.find((candidate) => candidate.name === selected) ?? null;
  return (
    <div className="diff-app">
      <header className="diff-header">
        <strong>{view.beforeName}</strong> → <strong>{view.afterName}</strong>{' '}
        <span className="muted">
          · {view.schema.changes.length} schema changes · {view.tables.filter((candidate) => candidate.added + candidate.removed + candidate.changed > 0).length} of {view.tables.length} tables with row changes
        </span>
      </header>
      <div className="diff-body">
        <nav className="diff-tree" role="tree" aria-label="tables">
          {view.tables.map((candidate) => (
            <button key={candidate.name} role="treeitem" aria-selected={candidate.name === selected} onClick={() => setSelected(candidate.name)}>
              <span className="codicon codicon-table" aria-hidden="true" />
              <span className="table-name">{candidate.name}</span>
              <span className="count-added">+{candidate.added}</span>
              <span className="count-removed">−{candidate.removed}</span>
              <span className="count-changed">~{candidate.changed}</span>
            </button>
          ))}
        </nav>
        <main className="diff-main">
          <h3>Schema</h3>
          {view.schema.changes.length === 0 ? (
            <p className="muted">No schema change.</p>
          ) : (
            <ul className="schema-changes">
              {view.schema.changes.map((change, index) => (
                <li key={index} className={`count-${change.change}`}>
                  {schemaLine(change)}
                </li>
              ))}
            </ul>
          )}
          {table ? <TableRows table={table} /> : null}
        </main>
      </div>
    </div>
  );
}
