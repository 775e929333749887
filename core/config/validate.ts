// Checking a synclens.json text: parsed with jsonc-parser (so every problem keeps its line and
// column), validated against schemas/synclens.schema.json with ajv, then the checks a schema cannot
// express (duplicate keys, secrets, contradictions, globs too costly to match).
import Ajv, { type ValidateFunction } from 'ajv';
import { createScanner, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError, type SyntaxKind } from 'jsonc-parser';
import schemaJson from '../../schemas/synclens.schema.json';
import { ConfigError, type ConfigProblem, type SyncLensConfig } from './config';
import { braceExpansionsOf, maxBraceExpansions, maxGlobLength } from './databaseGlobs';
import { keyPathOf, LineIndex, propertyNode, walkProperties, type PathSegment } from './jsonTree';
import { describeParseError, locateSchemaError, messageFor, simplifyErrors } from './schemaMessages';
import { queueConfigProblems } from './queueConfig';
import { defaultPasswordEnv } from './target';

export interface ConfigCheck {
  /** The config when it has no problems, else null. */
  config: SyncLensConfig | null;
  problems: ConfigProblem[];
  /** The parse tree (for editors: completion, hover, quick fixes), null when the text is empty or cannot be one. */
  tree: Node | null;
}

/**
 * Deeper than any synclens.json (its deepest key, entities.<table>.columns.<name>, is four objects
 * down). jsonc-parser, ajv and the checks below all recurse: a file of 100,000 `[` would overflow
 * the stack instead of getting a message.
 */
export const maxNestingDepth = 64;

let compiledValidator: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiledValidator ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schemaJson);
  return compiledValidator;
}

/** The JSON Schema as an object (the language server hands it to its JSON service). */
export function configJsonSchema(): Record<string, unknown> {
  return schemaJson as Record<string, unknown>;
}

/** Every problem of a config text: malformed JSON, then schema violations, then secrets and contradictions. */
export function checkConfigText(text: string, file: string): ConfigCheck {
  const positions = new LineIndex(text);
  const problem = (offset: number, length: number, keyPath: string, message: string): ConfigProblem => {
    const { line, column } = positions.position(offset);
    return { file, line, column, offset, length, keyPath, message };
  };

  const tooDeep = nestedTooDeepAt(text);
  if (tooDeep !== null) {
    const message = `values nested more than ${maxNestingDepth} levels deep: a synclens.json needs a few (is this the right file?)`;
    return { config: null, problems: [problem(tooDeep, 1, '', message)], tree: null };
  }

  const parseErrors: ParseError[] = [];
  const tree = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false }) ?? null;
  if (parseErrors.length > 0 || !tree) {
    // One message: after the first syntax error the rest are usually echoes of it.
    const first = parseErrors[0];
    const offset = text.trim() === '' ? 0 : (first?.offset ?? 0);
    const detail = text.trim() === '' ? 'the file is empty' : first ? describeParseError(printParseErrorCode(first.error)) : 'no JSON value';
    return { config: null, problems: [problem(offset, first?.length ?? 0, '', `malformed JSON: ${detail}`)], tree };
  }

  const problems: ConfigProblem[] = [];
  if (tree.type !== 'object') {
    return { config: null, problems: [problem(tree.offset, tree.length, '', 'synclens.json must hold a JSON object')], tree };
  }
  for (const duplicate of findDuplicateKeys(tree)) {
    problems.push(problem(duplicate.node.offset, duplicate.node.length, duplicate.keyPath, `"${duplicate.keyPath}" is given twice`));
  }
  for (const secret of findSecretKeys(tree)) {
    problems.push(
      problem(
        secret.node.offset,
        secret.node.length,
        secret.keyPath,
        `"${secret.keyPath}" looks like a secret: secrets never go in synclens.json ` +
          `(the extension keeps the password in SecretStorage; the CLI reads ${defaultPasswordEnv} or firestore.auth.passwordEnv)`,
      ),
    );
  }
  const secretPaths = new Set(problems.map((each) => each.keyPath));

  const value = getNodeValue(tree) as unknown;
  const validate = validator();
  if (!validate(value)) {
    for (const error of simplifyErrors(validate.errors ?? [])) {
      const located = locateSchemaError(tree, error);
      if (secretPaths.has(located.keyPath)) continue;
      problems.push(problem(located.node.offset, located.node.length, located.keyPath, messageFor(error, located.keyPath)));
    }
  }
  const further = [...contradictions(tree, value as SyncLensConfig), ...queueConfigProblems(tree, value as SyncLensConfig), ...costlyGlobs(tree)];
  problems.push(...further.map((each) => problem(each.node.offset, each.node.length, each.keyPath, each.message)));
  problems.sort((a, b) => a.offset - b.offset);
  return { config: problems.length === 0 ? (value as SyncLensConfig) : null, problems, tree };
}

/** The config in `text`, or a ConfigError whose message is the first problem with its line:column. */
export function parseConfig(text: string, path: string): SyncLensConfig {
  const checked = checkConfigText(text, path);
  if (!checked.config) throw new ConfigError(path, checked.problems);
  return checked.config;
}

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read: its values, typed.
const openBrace = 1 as SyntaxKind.OpenBraceToken;
const closeBrace = 2 as SyntaxKind.CloseBraceToken;
const openBracket = 3 as SyntaxKind.OpenBracketToken;
const closeBracket = 4 as SyntaxKind.CloseBracketToken;
const endOfFile = 17 as SyntaxKind.EOF;

/** The offset of the first `{` or `[` that opens a level deeper than maxNestingDepth, or null. */
export function nestedTooDeepAt(text: string): number | null {
  // The scanner is a loop, not a recursion, and knows strings and comments.
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== endOfFile; kind = scanner.scan()) {
    if (kind === openBrace || kind === openBracket) {
      depth++;
      if (depth > maxNestingDepth) return scanner.getTokenOffset();
    } else if (kind === closeBrace || kind === closeBracket) {
      depth = Math.max(0, depth - 1);
    }
  }
  return null;
}

// ---- checks the schema cannot express -----------------------------------------------------------

interface Located {
  node: Node;
  keyPath: string;
}

function findDuplicateKeys(tree: Node): Located[] {
  const found: Located[] = [];
  const check = (objectNode: Node, path: PathSegment[]): void => {
    const seen = new Set<string>();
    for (const property of objectNode.children ?? []) {
      const keyNode = property.children?.[0];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      if (seen.has(key)) found.push({ node: keyNode, keyPath: keyPathOf([...path, key]) });
      seen.add(key);
    }
  };
  check(tree, []);
  walkProperties(tree, [], (_, valueNode, path) => {
    if (valueNode.type === 'object') check(valueNode, path);
  });
  return found;
}

const secretKey = /^(?:password|passwd|pwd|secret|clientsecret|privatekey|privatekeyid|token|accesstoken|refreshtoken|idtoken|serviceaccount|credentials?|apisecret)$/;

function findSecretKeys(tree: Node): Located[] {
  const found: Located[] = [];
  walkProperties(tree, [], (keyNode, _, path) => {
    if (secretKey.test(String(keyNode.value).toLowerCase().replace(/[^a-z]/g, ''))) {
      found.push({ node: keyNode, keyPath: keyPathOf(path) });
    }
  });
  return found;
}

function contradictions(tree: Node, config: SyncLensConfig): (Located & { message: string })[] {
  const found: (Located & { message: string })[] = [];
  const firestore = config.firestore;
  if (firestore && typeof firestore === 'object') {
    const firestoreNode = findNodeAtLocation(tree, ['firestore']);
    const keyOf = (key: string): Node => propertyNode(firestoreNode, key)?.children?.[0] ?? firestoreNode ?? tree;
    if (firestore.emulator && firestore.webConfig) {
      found.push({
        node: keyOf('webConfig'),
        keyPath: 'firestore.webConfig',
        message: '"firestore" names both an emulator and a real project\'s webConfig: keep one',
      });
    }
    if (firestore.emulator && firestore.auth) {
      found.push({ node: keyOf('auth'), keyPath: 'firestore.auth', message: '"firestore.auth" applies to a real project, not to the emulator' });
    }
    if (firestore.auth && !firestore.webConfig && !firestore.emulator) {
      found.push({ node: keyOf('auth'), keyPath: 'firestore.auth', message: '"firestore.auth" needs "firestore.webConfig"' });
    }
    const webProject = firestore.webConfig?.projectId;
    if (webProject && firestore.projectId && webProject !== firestore.projectId) {
      found.push({
        node: keyOf('projectId'),
        keyPath: 'firestore.projectId',
        message: `"firestore.projectId" (${firestore.projectId}) differs from "firestore.webConfig.projectId" (${webProject})`,
      });
    }
  }
  return found;
}

/** Database globs longer than a pattern needs, or whose `{a,b}` alternatives multiply past a few hundred. */
function costlyGlobs(tree: Node): (Located & { message: string })[] {
  const found: (Located & { message: string })[] = [];
  const items = findNodeAtLocation(tree, ['databases']);
  if (items?.type !== 'array') return found;
  (items.children ?? []).forEach((item, index) => {
    if (typeof item.value !== 'string') return;
    const keyPath = keyPathOf(['databases', index]);
    if (item.value.length > maxGlobLength) {
      found.push({ node: item, keyPath, message: `"${keyPath}" is ${item.value.length} characters long: a glob has at most ${maxGlobLength}` });
    } else if (braceExpansionsOf(item.value) > maxBraceExpansions) {
      found.push({ node: item, keyPath, message: `"${keyPath}" expands to more than ${maxBraceExpansions} patterns: use fewer {a,b} alternatives` });
    }
  });
  return found;
}
