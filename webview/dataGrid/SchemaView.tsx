import type { TableInfo } from '../../core/db/types';
import { jsonColumnsOf, timestampEncodingsOf, type DatabaseSummary } from '../../core/protocol/gridModel';
import { Badge } from '../components/Badge';

const roleLabels: Record<string, string> = {
  entity: 'Synced entity table',
  queue: 'Sync queue',
  state: 'Sync state',
  other: 'No sync role',
};

function roleDetails(database: DatabaseSummary, table: TableInfo): [string, string][] {
  const { roles } = database;
  const entity = roles.entities.find((candidate) => candidate.table === table.name);
  if (entity) {
    return [
      ['Collection', entity.collection],
      ['Entity types', entity.entityTypes.join(', ')],
      ...Object.entries(entity.columns)
        .filter((entry): entry is [string, string] => entry[1] !== null)
        .map(([part, column]): [string, string] => [`${part} column`, column]),
    ];
  }
  if (roles.queue?.table === table.name) {
    return [
      ['Operation encoding', roles.queue.operationEncoding === 'ordinal' ? 'enum ordinal (0 create, 1 update, 2 delete)' : 'text'],
      ...Object.entries(roles.queue.columns)
        .filter((entry): entry is [string, string] => entry[1] !== null)
        .map(([part, column]): [string, string] => [`${part} column`, column]),
    ];
  }
  if (roles.state?.table === table.name) return [['Key column', roles.state.keyColumn], ['Value column', roles.state.valueColumn]];
  return [];
}

export function SchemaView({ database, table }: { database: DatabaseSummary; table: TableInfo }) {
  const encodings = timestampEncodingsOf(database.roles, table.name);
  const jsonColumns = new Set(jsonColumnsOf(database.roles, table.name));
  const role = database.tableRoles[table.name] ?? 'other';
  const details = roleDetails(database, table);
  return (
    <div className="schema-view" tabIndex={0} aria-label={`Schema of ${table.name}`}>
      <section>
        <h2>
          {table.name} <Badge>{table.kind}</Badge> <Badge title="Role detected by SyncLens">{roleLabels[role] ?? role}</Badge>
        </h2>
        <p className="schema-summary">
          {table.rows === null ? 'counting rows…' : `${table.rows.toLocaleString('en-US')} rows`} · {table.columns.length} columns{table.withoutRowid ? ' · WITHOUT ROWID' : ''}
        </p>
        {table.error ? <p className="schema-error">{table.error}</p> : null}
      </section>
      <section>
        <h3>Columns</h3>
        <table className="schema-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>PK</th>
              <th>Not null</th>
              <th>Default</th>
              <th>Timestamp encoding</th>
              <th>Content</th>
            </tr>
          </thead>
          <tbody>
            {table.columns.map((column) => (
              <tr key={column.name}>
                <td className="mono">{column.name}</td>
                <td className="mono">{column.type || '—'}</td>
                <td>{column.pk ? <span className="codicon codicon-key" title={`primary key, position ${column.pk}`} /> : null}</td>
                <td>{column.notNull ? <span className="codicon codicon-check" title="NOT NULL" /> : null}</td>
                <td className="mono">{column.defaultValue ?? ''}</td>
                <td>{encodings[column.name] ?? ''}</td>
                <td>{jsonColumns.has(column.name) ? 'JSON' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h3>Indexes</h3>
        {table.indexes.length === 0 ? (
          <p className="schema-none">None.</p>
        ) : (
          <table className="schema-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Columns</th>
                <th>Unique</th>
                <th>Origin</th>
              </tr>
            </thead>
            <tbody>
              {table.indexes.map((index) => (
                <tr key={index.name}>
                  <td className="mono">{index.name}</td>
                  <td className="mono">{index.columns.join(', ')}</td>
                  <td>{index.unique ? 'unique' : ''}</td>
                  <td>{index.origin === 'pk' ? 'primary key' : index.origin === 'u' ? 'UNIQUE constraint' : 'CREATE INDEX'}{index.partial ? ' (partial)' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h3>Foreign keys</h3>
        {table.foreignKeys.length === 0 ? (
          <p className="schema-none">None.</p>
        ) : (
          <table className="schema-table">
            <thead>
              <tr>
                <th>Columns</th>
                <th>References</th>
                <th>On update</th>
                <th>On delete</th>
              </tr>
            </thead>
            <tbody>
              {table.foreignKeys.map((key) => (
                <tr key={key.id}>
                  <td className="mono">{key.from.join(', ')}</td>
                  <td className="mono">
                    {key.table}({key.to.join(', ')})
                  </td>
                  <td>{key.onUpdate}</td>
                  <td>{key.onDelete}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {details.length > 0 ? (
        <section>
          <h3>Sync role</h3>
          <table className="schema-table">
            <tbody>
              {details.map(([label, value]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td className="mono">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {table.sql ? (
        <section>
          <h3>SQL</h3>
          <pre className="schema-sql">{table.sql}</pre>
        </section>
      ) : null}
    </div>
  );
}
