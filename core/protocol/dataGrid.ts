// The data grid webview's protocol: every message between the database editor and its webview,
// declared once. Directions are in each comment; the webview sends `ready` before anything else.
import * as z from 'zod';
import { ExportFormat, GridFilter, GridQuery, GridSort, type DatabaseSummary, type GridPage } from './gridModel';
import { noParams, notification, request, unchecked } from './rpc';

export const GridTab = z.enum(['data', 'schema']);
export type GridTab = z.infer<typeof GridTab>;

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

/** What the webview may ask to export; where to is always the user's pick in the save dialog. */
export const ExportRequest = z.object({
  table: z.string(),
  sort: GridSort.nullable(),
  filters: z.array(GridFilter).readonly(),
  /** null lets the user pick in the save dialog. */
  format: ExportFormat.nullable(),
});
export type ExportRequest = z.infer<typeof ExportRequest>;

/**
 * The table a grid shows and its sort and filters now, with the rows they match (null while counting):
 * the palette's Export asks the open grid for it. The webview is untrusted, so the answer is checked.
 */
export const GridQueryState = z.object({
  table: z.string().nullable(),
  sort: GridSort.nullable(),
  filters: z.array(GridFilter).readonly(),
  matchingRows: z.number().int().nonnegative().nullable(),
});
export type GridQueryState = z.infer<typeof GridQueryState>;

/** A sort and filter texts (as typed in the filter fields, by column) to show a table with. */
export interface GridQueryRequest {
  readonly sort: GridSort | null;
  readonly filterTexts: Readonly<Record<string, string>>;
}

/** Levels of the extension's log a webview may write to. */
export const WebviewLogLevel = z.enum(['info', 'warn', 'error']);
export type WebviewLogLevel = z.infer<typeof WebviewLogLevel>;

export const DataGridProtocol = {
  /** webview -> extension, first message: the webview listens now. */
  ready: notification('ready', noParams),
  /** extension -> webview: what to show (sent after `ready` and on every change). */
  state: notification('state', unchecked<GridViewState>()),
  /** extension -> webview: switch to a table (tree "Open", commands). */
  selectTable: notification('selectTable', unchecked<{ table: string; tab: GridTab; query?: GridQueryRequest }>()),
  /** webview -> extension: the user switched table (the extension remembers it for Export/Refresh). */
  tableSelected: notification('tableSelected', z.object({ table: z.string() })),
  /** webview -> extension: one keyset page. */
  readPage: request('readPage', GridQuery).returns<GridPage>(),
  /** webview -> extension: rows matching the filters. */
  countRows: request('countRows', z.object({ table: z.string(), filters: z.array(GridFilter).readonly() })).returns<number>(),
  /** webview -> extension: put text on the clipboard (webview iframes may not reach it). */
  copyText: request('copyText', z.object({ text: z.string(), what: z.string() })),
  /** webview -> extension: export a table or the filtered view to a file the user picks. */
  exportRows: request('exportRows', ExportRequest).returns<{ written: boolean; rows: number }>(),
  /** webview -> extension: read the file again (the "changed on disk" notice's Refresh). */
  reload: request('reload', noParams),
  /** webview -> extension: "Enter key…" of an encrypted file's view; the extension asks with a password box, never the webview. */
  enterKey: request('enterKey', noParams),
  /** webview -> extension: something went wrong in the webview, for the log. */
  log: notification('log', z.object({ level: WebviewLogLevel, message: z.string() })),
  /** extension -> webview: the table, sort and filters shown now (the palette's Export; checked with GridQueryState). */
  queryState: request('queryState', noParams).returns<GridQueryState>(),
  /** extension -> webview: what is rendered now (tests and the screenshot script). */
  inspectRendered: request('inspectRendered', noParams).returns<RenderedGrid>(),
};
