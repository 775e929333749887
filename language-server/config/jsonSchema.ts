// Just enough JSON Schema walking for completion and hover in synclens.json: properties,
// additionalProperties, items and local `$ref`s (a `$ref`'s own description wins over the target's).
import type { JSONPath } from 'jsonc-parser';

export interface JsonSchemaNode {
  $ref?: string;
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  definitions?: Record<string, JsonSchemaNode>;
  oneOf?: JsonSchemaNode[];
  anyOf?: JsonSchemaNode[];
}

export interface ResolvedSchema {
  /** The node with its `$ref` followed. */
  node: JsonSchemaNode;
  /** As written at this path (before following `$ref`). */
  raw: JsonSchemaNode;
  description: string | undefined;
}

function follow(root: JsonSchemaNode, node: JsonSchemaNode): JsonSchemaNode {
  let current = node;
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const name = /^#\/definitions\/(.+)$/.exec(current.$ref)?.[1];
    const target = name ? root.definitions?.[name] : undefined;
    if (!target) break;
    current = target;
  }
  return current;
}

function resolve(root: JsonSchemaNode, raw: JsonSchemaNode): ResolvedSchema {
  const node = follow(root, raw);
  return { node, raw, description: raw.description ?? node.description };
}

function child(root: JsonSchemaNode, parent: JsonSchemaNode, segment: string | number): JsonSchemaNode | undefined {
  const candidates = [parent, ...(parent.oneOf ?? []), ...(parent.anyOf ?? [])].map((node) => follow(root, node));
  for (const candidate of candidates) {
    if (typeof segment === 'number') {
      if (candidate.items) return candidate.items;
      continue;
    }
    const property = candidate.properties?.[segment];
    if (property) return property;
    if (typeof candidate.additionalProperties === 'object') return candidate.additionalProperties;
  }
  return undefined;
}

export function schemaAt(root: JsonSchemaNode, path: JSONPath): ResolvedSchema | undefined {
  let raw: JsonSchemaNode = root;
  for (const segment of path) {
    const next = child(root, follow(root, raw), segment);
    if (!next) return undefined;
    raw = next;
  }
  return resolve(root, raw);
}

function refersTo(node: JsonSchemaNode | undefined, ...definitions: string[]): boolean {
  return node?.$ref !== undefined && definitions.some((definition) => node.$ref === `#/definitions/${definition}`);
}

/** What the keys of the object at `objectPath` name: tables (`entities`), columns (`timestampEncodings`), or nothing. */
export function schemaKeyKind(root: JsonSchemaNode, objectPath: JSONPath): 'table' | 'column' | null {
  if (objectPath.length === 1 && objectPath[0] === 'entities') return 'table';
  const resolved = schemaAt(root, objectPath);
  if (refersTo(resolved?.raw, 'timestampEncodings')) return 'column';
  return null;
}

/** What the string value at `path` names: a table (`queue.table`, `state.table`), a column, or nothing. */
export function schemaValueKind(root: JsonSchemaNode, path: JSONPath): 'table' | 'column' | null {
  if (path.length === 2 && (path[0] === 'queue' || path[0] === 'state') && path[1] === 'table') return 'table';
  const resolved = schemaAt(root, path);
  return refersTo(resolved?.raw, 'columnName', 'optionalColumnName') ? 'column' : null;
}
