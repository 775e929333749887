// Case-insensitive lookups over a schema snapshot, as SQLite resolves names.
import type { SchemaSnapshot, SnapshotColumn, SnapshotTable } from '../database/workerProtocol';

export class SchemaIndex {
  private readonly tablesByName = new Map<string, SnapshotTable>();

  constructor(readonly snapshot: SchemaSnapshot) {
    for (const table of snapshot.tables) this.tablesByName.set(table.name.toLowerCase(), table);
  }

  get tables(): readonly SnapshotTable[] {
    return this.snapshot.tables;
  }

  table(name: string): SnapshotTable | undefined {
    return this.tablesByName.get(name.toLowerCase());
  }

  column(table: SnapshotTable, name: string): SnapshotColumn | undefined {
    const lower = name.toLowerCase();
    return table.columns.find((column) => column.name.toLowerCase() === lower);
  }
}

const bareIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The name as SQL text: bare when SQLite would read it back unchanged, else double-quoted. */
export function sqlIdentifier(name: string, reserved: ReadonlySet<string>): string {
  if (bareIdentifier.test(name) && !reserved.has(name.toUpperCase())) return name;
  return `"${name.replaceAll('"', '""')}"`;
}
