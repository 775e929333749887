// Positions and key paths in a synclens.json parse tree (jsonc-parser's), shared by the checks of
// validate.ts and databaseCheck.ts so that every problem names its key the same way.
import type { Node } from 'jsonc-parser';

/** Offsets to 1-based line:column, counting CR, LF and CRLF line ends as editors do. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char === 10) this.starts.push(i + 1);
      else if (char === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}

export type PathSegment = string | number;

/** `backoff.factor`, `databases[0]`, '' for the whole file. */
export function keyPathOf(segments: readonly PathSegment[]): string {
  return segments.reduce<string>(
    (path, segment) => (typeof segment === 'number' ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`),
    '',
  );
}

/** The segments of a JSON Pointer (ajv's instancePath), array indexes as numbers. */
export function pointerSegments(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** The property node holding `key` inside an object node. */
export function propertyNode(objectNode: Node | undefined, key: string): Node | undefined {
  if (objectNode?.type !== 'object') return undefined;
  return objectNode.children?.find((property) => property.children?.[0]?.value === key);
}

/** Every property below `node`, depth first, with its key path. */
export function walkProperties(node: Node, path: PathSegment[], visit: (keyNode: Node, valueNode: Node, path: PathSegment[]) => void): void {
  if (node.type === 'object') {
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode) continue;
      const childPath = [...path, String(keyNode.value)];
      if (valueNode) {
        visit(keyNode, valueNode, childPath);
        walkProperties(valueNode, childPath, visit);
      }
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, index) => walkProperties(child, [...path, index], visit));
  }
}
