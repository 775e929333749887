// Which database a SQL document is bound to: `-- synclens: db=<path>` on its first line, the path
// absolute or relative to the document's folder. Until the user trusts the workspace, the path must
// lie inside a workspace folder: a cloned repository's .sql file cannot point the server (and its
// Run lens) at ~/other-app/app.db or /dev/zero.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorCode } from '../../core/errors';
import { bindingPathOf } from '../../core/protocol/languageServer';

export type Binding =
  | { kind: 'unbound' }
  | { kind: 'bound'; path: string; written: string; line: string }
  /** `restricted`: outside the workspace, which is not trusted. */
  | { kind: 'invalid'; written: string; line: string; code?: Extract<ErrorCode, 'restricted'>; message: string };

/** The workspace as the client described it: its folders (real paths) and whether the user trusts it. */
export interface WorkspaceScope {
  folders: readonly string[];
  trusted: boolean;
}

export function readBinding(text: string, uri: string, workspace: WorkspaceScope): Binding {
  const newline = text.indexOf('\n');
  const line = (newline === -1 ? text : text.slice(0, newline)).replace(/\r$/, '');
  const written = bindingPathOf(line);
  if (written === null) return { kind: 'unbound' };
  const base = isAbsolute(written) ? null : uri.startsWith('file:') ? dirname(fileURLToPath(uri)) : (workspace.folders[0] ?? null);
  if (!isAbsolute(written) && base === null) {
    return {
      kind: 'invalid',
      written,
      line,
      message: `"${written}" is relative, but this document has no folder yet: save it, or bind it with an absolute path.`,
    };
  }
  const path = base === null ? resolve(written) : resolve(base, written);
  if (!workspace.trusted && !workspace.folders.some((folder) => isWithin(folder, realPath(path)))) {
    const where = workspace.folders.length === 0 ? 'no workspace folder is open' : `it is outside ${workspace.folders.join(', ')}`;
    return {
      kind: 'invalid',
      written,
      line,
      code: 'restricted',
      message: `${path} is not read: ${where}, and databases outside the workspace are opened only once the workspace is trusted. Trust the workspace, or bind a database inside it.`,
    };
  }
  return { kind: 'bound', path, written, line };
}

/** The path with symlinks resolved (a link inside the workspace may point out of it); as given when it does not exist. */
export function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

function isWithin(folder: string, path: string): boolean {
  const inside = relative(folder, path);
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}
