// When a write asks first, by the `synclens.confirmWrites` level. No vscode import: the rule is
// unit-tested in plain Node (tests/unit/extension/writeConfirmation.test.ts).

export const writeConfirmationLevels = ['always', 'realProjectsOnly'] as const;
export type WriteConfirmationLevel = (typeof writeConfirmationLevels)[number];

export interface PendingWrite {
  /** Where the remote side of the write goes: a real Firebase project, the emulator, or nowhere (a .sql statement). */
  readonly remote: 'project' | 'emulator' | 'none';
  /** A -wal or -journal beside the file: the app may be running and could lose its changes. */
  readonly live: boolean;
}

/**
 * Every write keeps a backup of the file, so what a user may waive is the dialog for writes whose
 * other side is disposable (the emulator) or absent. A real project, or a file the app may still
 * have open, always asks.
 */
export function writeNeedsConfirmation(level: WriteConfirmationLevel, write: PendingWrite): boolean {
  if (level === 'always') return true;
  return write.remote === 'project' || write.live;
}
