// The data grid webview's protocol: every message between the database editor and its webview,
// declared once. Directions are in each comment; the webview sends `ready` before anything else.
import type { DatabaseSummary, ExportFormat, GridFilter, GridPage, GridQuery, GridSort } from './gridModel';
import { notification, request } from './rpc';

export type GridTab = 'data' | 'schema';

/** Rows per keyset page when synclens.grid.pageSize is not set. */
export const defaultGridPageSize = 200;

/** What the editor area shows: the database, a reason it cannot be shown, or that it is loading. */
export type GridViewState =
  | { readonly status: 'loading'; readonly fileName: string }
  | {
      readonly status: 'error';
      readonly fileName: string;
      /** A DatabaseFileError code, or 'internal'. */
      readonly code: string;
      readonly title: string;
      readonly message: string;
    }
  | {
      readonly status: 'ready';
      readonly database: DatabaseSummary;
      /** Bumped on every reload so the webview refetches, keeping its table, sort, filters and scroll. */
      readonly revision: number;
      /** Why editing is off (an untrusted workspace), or null. */
      readonly readOnlyReason: string | null;
      /** When the current contents were read, ms since the epoch ("updated HH:MM:SS"). */
      readonly updatedAt: number;
      /** Rows per keyset page (the synclens.grid.pageSize setting). */
      readonly pageSize: number;
      /** The file changed on disk and was not reloaded (synclens.autoRefresh is off): the grid says so. */
      readonly changedOnDisk: boolean;
    };

/** What the webview has rendered right now: how tests read the grid from inside the extension host. */
export interface RenderedGrid {
  readonly status: GridViewState['status'];
  readonly tab: GridTab;
  readonly table: string | null;
  readonly headers: string[];
  /** Text of each rendered (virtualized, so visible) row, cell by cell. */
  readonly rows: string[][];
  /** Text of the message shown in the editor area when status is 'error'. */
  readonly message: string;
  readonly loadedRows: number;
  readonly totalRows: number | null;
  readonly updatedLabel: string;
  /** Text of the notice above the toolbar (why the database is read-only), or ''. */
  readonly notice: string;
  /** Elements in the grid that data must never create (img, script, iframe, object): always 0. */
  readonly markupElements: number;
}

export interface ExportRequest {
  readonly table: string;
  readonly sort: GridSort | null;
  readonly filters: readonly GridFilter[];
  /** null lets the user pick in the save dialog. */
  readonly format: ExportFormat | null;
}

export const DataGridProtocol = {
  /** webview -> extension, first message: the webview listens now. */
  ready: notification<Record<string, never>>('ready'),
  /** extension -> webview: what to show (sent after `ready` and on every change). */
  state: notification<GridViewState>('state'),
  /** extension -> webview: switch to a table (tree "Open", commands). */
  selectTable: notification<{ table: string; tab: GridTab }>('selectTable'),
  /** webview -> extension: the user switched table (the extension remembers it for Export/Refresh). */
  tableSelected: notification<{ table: string }>('tableSelected'),
  /** webview -> extension: one keyset page. */
  readPage: request<GridQuery, GridPage>('readPage'),
  /** webview -> extension: rows matching the filters. */
  countRows: request<{ table: string; filters: readonly GridFilter[] }, number>('countRows'),
  /** webview -> extension: put text on the clipboard (webview iframes may not reach it). */
  copyText: request<{ text: string; what: string }, void>('copyText'),
  /** webview -> extension: export a table or the filtered view to a file the user picks. */
  exportRows: request<ExportRequest, { written: boolean; rows: number }>('exportRows'),
  /** webview -> extension: read the file again (the "changed on disk" notice's Refresh). */
  reload: request<Record<string, never>, void>('reload'),
  /** webview -> extension: something went wrong in the webview, for the log. */
  log: notification<{ level: 'info' | 'warn' | 'error'; message: string }>('log'),
  /** extension -> webview: what is rendered now (tests and the screenshot script). */
  inspectRendered: request<Record<string, never>, RenderedGrid>('inspectRendered'),
};
