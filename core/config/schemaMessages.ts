// The wording of synclens.json's problems: jsonc-parser's syntax errors and ajv's schema errors
// turned into one sentence a person can act on, placed on the key or value concerned.
import type { ErrorObject } from 'ajv';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { keyPathOf, pointerSegments, propertyNode } from './jsonTree';
import { closest } from './suggestions';
import { passwordEnvPrefix } from './target';

export function describeParseError(code: string): string {
  const descriptions: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a key in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected a colon after the key',
    CommaExpected: 'expected a comma',
    CloseBraceExpected: 'expected a closing brace }',
    CloseBracketExpected: 'expected a closing bracket ]',
    EndOfFileExpected: 'unexpected text after the end of the JSON',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return descriptions[code] ?? code;
}

/** The node a schema error is about: the unknown key itself, the key of an object missing one, else the value. */
export function locateSchemaError(tree: Node, error: ErrorObject): { node: Node; keyPath: string } {
  const segments = pointerSegments(error.instancePath);
  const valueNode = findNodeAtLocation(tree, segments) ?? tree;
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const keyNode = propertyNode(valueNode, key)?.children?.[0];
    return { node: keyNode ?? valueNode, keyPath: keyPathOf([...segments, key]) };
  }
  if (error.keyword === 'required') {
    // Point at the key of the object missing something: `"emulator": {}` underlines "emulator".
    const keyNode = valueNode.parent?.type === 'property' ? valueNode.parent.children?.[0] : undefined;
    return { node: keyNode ?? valueNode, keyPath: keyPathOf(segments) };
  }
  return { node: valueNode, keyPath: keyPathOf(segments) };
}

/** Ajv reports every branch of a type union; keep the errors a person can act on. */
export function simplifyErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const typeErrorAt = new Set(errors.filter((error) => error.keyword === 'type').map((error) => error.instancePath));
  const seen = new Set<string>();
  return errors.filter((error) => {
    // A value of the wrong type also fails its other keywords: the type error says it all.
    if (error.keyword !== 'type' && typeErrorAt.has(error.instancePath)) return false;
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf') return false;
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const typeWords: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

export function messageFor(error: ErrorObject, keyPath: string): string {
  const name = keyPath === '' ? 'synclens.json' : `"${keyPath}"`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? (params.type as string[]) : String(params.type).split(',');
      return `${name} must be ${types.map((type) => typeWords[type] ?? type).join(' or ')}`;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value));
      const suggestion = closest(String(error.data), (params.allowedValues as unknown[]).map(String));
      return `${name} must be one of ${allowed.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const suggestion = closest(key, known.filter((candidate) => candidate !== '$schema'));
      const where = keyPath.includes('.') ? ` in "${keyPath.slice(0, keyPath.lastIndexOf('.'))}"` : '';
      return `unknown key "${key}"${where}${suggestion ? `: did you mean "${suggestion}"?` : known.length ? `: expected one of ${known.map((each) => `"${each}"`).join(', ')}` : ''}`;
    }
    case 'required':
      return `${name} is missing "${String(params.missingProperty)}"`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${name} must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'minLength':
      return Number(params.limit) <= 1 ? `${name} must not be empty` : `${name} must have at least ${String(params.limit)} characters`;
    case 'pattern':
      if (keyPath.startsWith('queue.paths.')) {
        return `${name} must be a SQLite JSON path such as "$.op" or "$.row.id" ($, then .key, ."quoted key" or [index] steps)`;
      }
      return keyPath.endsWith('projectId')
        ? `${name} is not a valid project id (lowercase letters, digits and dashes)`
        : keyPath.endsWith('passwordEnv')
          ? `${name} must name an environment variable that starts with ${passwordEnvPrefix} (then letters, digits, _): ` +
            `a synclens.json from someone else could otherwise send any variable, such as GITHUB_TOKEN, to the project it names`
          : `${name} must match ${String(params.pattern)}`;
    case 'uniqueItems':
      return `${name} lists an item twice (items ${String(params.j)} and ${String(params.i)})`;
    default:
      return `${name} ${error.message ?? 'is invalid'}`;
  }
}
