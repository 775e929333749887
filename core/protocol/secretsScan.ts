// The secrets scan as the extension shows it (the Sync Queue's Secrets tab, the Problems panel),
// and the protocol of the thread that runs it (extension/scan/scanWorker.ts), declared once.
import * as z from 'zod';
import type { FindingGroup, ScanFinding } from '../scan/types';
import { request } from './rpc';

export type { FindingGroup, ScanFinding, ScanSeverity, SecretKind } from '../scan/types';

/** One scan of one database file: what the tab lists and the Problems panel reports. */
export type SecretsScanView =
  | {
      readonly status: 'scanned';
      readonly fileName: string;
      readonly tables: number;
      readonly rows: number;
      /** Most severe first; at most a few per table, column, path and kind (the groups count them all). */
      readonly findings: readonly ScanFinding[];
      readonly groups: readonly FindingGroup[];
      readonly skipped: ReadonlyArray<{ readonly table: string; readonly reason: string }>;
      readonly elapsedMs: number;
    }
  | { readonly status: 'failed'; readonly fileName: string; readonly error: string };

/** extension -> scan worker. */
export const SecretsWorkerProtocol = {
  /** Scans the whole file (its -wal applied); the file is only read. */
  scan: request('scan', z.object({ path: z.string() })).returns<SecretsScanView>(),
};
