// Which database a SQL document is bound to: `-- synclens: db=<path>` on its first line, the path
// absolute or relative to the document's folder.
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindingCommentPattern } from '../../core/protocol/languageServer';

export type Binding =
  | { kind: 'unbound' }
  | { kind: 'bound'; path: string; written: string; line: string }
  | { kind: 'invalid'; written: string; message: string };

export function readBinding(text: string, uri: string, workspaceRoot: string | null): Binding {
  const newline = text.indexOf('\n');
  const line = (newline === -1 ? text : text.slice(0, newline)).replace(/\r$/, '');
  const match = bindingCommentPattern.exec(line);
  if (!match) return { kind: 'unbound' };
  const written = match[1];
  if (isAbsolute(written)) return { kind: 'bound', path: resolve(written), written, line };
  if (uri.startsWith('file:')) return { kind: 'bound', path: resolve(dirname(fileURLToPath(uri)), written), written, line };
  if (workspaceRoot) return { kind: 'bound', path: resolve(workspaceRoot, written), written, line };
  return {
    kind: 'invalid',
    written,
    message: `"${written}" is relative, but this document has no folder yet: save it, or bind it with an absolute path.`,
  };
}
