// "SyncLens: Compare with…": the diff of two database files as its view shows it, the request the
// extension sends the worker that computes it (extension/scan/scanWorker.ts), and the view's
// protocol, declared once. What the webview sends is checked against its schema on arrival.
import * as z from 'zod';
import type { SchemaChange, TableDiff } from '../diff/types';
import { noParams, notification, request, unchecked } from './rpc';

export type { ChangeKind, DiffValue, FieldChange, RowChange, SchemaChange, TableDiff } from '../diff/types';

export type DiffView =
  | {
      readonly status: 'compared';
      readonly beforeName: string;
      readonly afterName: string;
      readonly schema: { readonly changes: readonly SchemaChange[] };
      readonly tables: readonly TableDiff[];
      readonly elapsedMs: number;
    }
  | { readonly status: 'failed'; readonly beforeName: string; readonly afterName: string; readonly error: string };

/** Rows listed per table in the view (all are counted). */
export const diffViewRows = 500;

/** extension -> worker. */
export const DiffWorkerProtocol = {
  /** Diffs two files (their -wal applied); both are only read. */
  diff: request('diff', z.object({ before: z.string(), after: z.string() })).returns<DiffView>(),
};

/** What the diff view renders now (tests, screenshots). */
export interface RenderedDiff {
  readonly title: string;
  /** Tree rows: `users +1 -1 ~2`. */
  readonly tables: string[];
  readonly selected: string | null;
  readonly schema: string[];
  readonly headers: string[];
  readonly rows: string[][];
  /** Cells marked as changed in the grid. */
  readonly changedCells: string[];
}

export const DiffViewProtocol = {
  /** webview -> extension, first message. */
  ready: notification('ready', noParams),
  /** extension -> webview: the diff, once it is computed. */
  diff: notification('diff', unchecked<DiffView>()),
  /** extension -> webview: what is rendered now. */
  inspectRendered: request('inspectRendered', noParams).returns<RenderedDiff>(),
};
