import { parse, type ParseError } from 'jsonc-parser';
import * as vscode from 'vscode';
import { defaultDatabaseGlobs } from '../core/config/databaseGlobs';
import { log } from './log';

const excluded = '{**/node_modules/**,**/.git/**,**/build/**,**/.dart_tool/**}';

/** The `databases` globs of a folder's synclens.json, or null when it has none (or no such file). */
async function configuredGlobs(folder: vscode.WorkspaceFolder): Promise<string[] | null> {
  const uri = vscode.Uri.joinPath(folder.uri, 'synclens.json');
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return null;
  }
  const errors: ParseError[] = [];
  const config: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) log().warn(`${uri.fsPath} is not valid JSON; using the default database globs`);
  if (typeof config !== 'object' || config === null || !('databases' in config)) return null;
  const databases = config.databases;
  if (!Array.isArray(databases)) return null;
  const globs = databases.filter((glob): glob is string => typeof glob === 'string');
  return globs.length > 0 ? globs : null;
}

/** Database files of the workspace: synclens.json `databases` globs per folder, else core's default globs (every *.db/.sqlite/.sqlite3/.db3 and the Firestore SDK's cache). */
export async function findWorkspaceDatabases(): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const globs = (await configuredGlobs(folder)) ?? defaultDatabaseGlobs;
    for (const glob of globs) {
      for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), excluded, 500)) {
        found.set(uri.toString(), uri);
      }
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}
