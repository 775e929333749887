// synclens.json's `queue` checked for what its JSON Schema cannot say: which keys apply to which
// queue kind (`columns` to the app's queue table, `paths` to PowerSync), and that the app's own
// queue table is named. Each problem sits on the key concerned.
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { QueueConfig, SyncLensConfig } from './config';
import { propertyNode } from './jsonTree';

type QueueKey = keyof QueueConfig;
type QueueKind = NonNullable<QueueConfig['kind']>;

/** The keys each kind reads besides `kind` (the table kind: all but paths). */
const keysOfKind: Record<QueueKind, readonly QueueKey[]> = {
  table: ['table', 'columns', 'operationEncoding', 'timestampEncodings', 'lastErrors', 'timeZone'],
  powersync: ['table', 'paths'],
  brick: ['table'],
  'firestore-sdk': [],
};

/** Which kind reads a key the named kind does not, for the message. */
const kindOfKey: Partial<Record<QueueKey, QueueKind>> = { paths: 'powersync', columns: 'table', operationEncoding: 'table', timestampEncodings: 'table', lastErrors: 'table', timeZone: 'table' };

export interface QueueConfigProblem {
  node: Node;
  keyPath: string;
  message: string;
}

export function queueConfigProblems(tree: Node, config: SyncLensConfig): QueueConfigProblem[] {
  const queue = config.queue;
  const queueNode = findNodeAtLocation(tree, ['queue']);
  if (!queue || typeof queue !== 'object' || queueNode?.type !== 'object') return [];
  const kind: QueueKind = queue.kind ?? 'table';
  if (!(kind in keysOfKind)) return []; // the schema's enum message says it
  const problems: QueueConfigProblem[] = [];
  const keyNode = (key: string): Node => propertyNode(queueNode, key)?.children?.[0] ?? queueNode;
  const allowed = new Set<string>(['kind', ...keysOfKind[kind]]);
  for (const key of Object.keys(queue) as QueueKey[]) {
    if (allowed.has(key) || !(key in kindOfKey || key === 'table')) continue;
    const reader = kindOfKey[key];
    const message =
      kind === 'firestore-sdk' && key === 'table'
        ? '"queue.table" does not apply to kind "firestore-sdk": the SDK\'s tables are fixed (mutations, document_mutations, mutation_queues)'
        : `"queue.${key}" applies to kind "${reader ?? 'table'}", not "${kind}"`;
    problems.push({ node: keyNode(key), keyPath: `queue.${key}`, message });
  }
  if (kind === 'table' && queue.table === undefined) {
    // On the `queue` key, as the schema's own "required" message would be.
    const parentKey = queueNode.parent?.type === 'property' ? queueNode.parent.children?.[0] : undefined;
    const message = queue.kind === 'table' ? '"queue" is missing "table" (kind "table" reads the app\'s queue table by name)' : '"queue" is missing "table" (or a "kind" of queue the app\'s stack keeps)';
    problems.push({ node: parentKey ?? queueNode, keyPath: 'queue', message });
  }
  return problems;
}
