// What a replay of planned ops will do, in plain words: the sentence a replay confirmation shows,
// the ops whose local change would be dropped (and what "keep those ops" leaves out), and the
// verdict word the Queue tab shows beside an op's local status. Pure: the extension and the
// webviews both use it.
import type { OperationResult, PlanRow } from './syncModel';

export type ExpectedOutcome = OperationResult['outcome'];

/** "1 conflict", "2 conflicts"; `many` for irregular plurals. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** What a conflict's policy does to the local change, in the words the badges use (webview/components/StatusBadge.tsx), the CLI too. */
export const policyOutcomeWords: Readonly<Record<'local' | 'remote' | 'held', string>> = { local: 'local pushed', remote: 'local dropped', held: 'held for you' };

/** Conflicts counted both ways: queued ops in conflict, and the entities (documents) they touch. */
export interface ConflictTally {
  readonly ops: number;
  readonly entities: number;
}

/**
 * The one wording of a conflict count wherever ops and entities both show (Plan, the status bar,
 * Conflicts): "4 conflicting ops on 3 entities"; "2 entities in conflict" where no queued op is
 * (rows changed with isSynced = 0 and nothing queued).
 */
export function conflictTallyText({ ops, entities }: ConflictTally): string {
  if (ops === 0) return `${plural(entities, 'entity', 'entities')} in conflict`;
  return `${plural(ops, 'conflicting op')} on ${plural(entities, 'entity', 'entities')}`;
}

/** An entity named for people: long document ids cut to their first 4 characters ("users/k9dA…"). */
export function shortEntity(collection: string, entityId: string): string {
  return `${collection}/${entityId.length > 8 ? `${entityId.slice(0, 4)}…` : entityId}`;
}

/** The Queue tab's verdict beside an op's local status, once a plan exists. */
export const verdictWords: Record<ExpectedOutcome, string> = {
  applied: 'will apply',
  'already-applied': 'already applied',
  'remote-kept': 'local dropped',
  'remote-missing': 'already gone',
  failed: 'will fail',
  held: 'held for a decision',
  skipped: 'not sent',
};

export interface ReplayForecast {
  /** "2 apply · 1 conflict: lastWriteWins keeps the remote, and your local change to users/k9dA… is dropped · 1 already applied". */
  readonly sentence: string;
  /** Ops whose local change the replay would drop (the remote is kept), in plan order. */
  readonly dropped: readonly PlanRow[];
  /** `collection/entityId` of every entity with a dropped change. */
  readonly droppedEntities: readonly string[];
  /** The ops a "keep those ops" replay sends: every op but those of an entity with a dropped change. */
  readonly sentIfKept: readonly number[];
  /** Ops kept in the queue by "keep those ops" (the dropped ones and their entities' other ops). */
  readonly keptIfKept: readonly number[];
}

/** What the totals need of a plan row (the CLI's plan entries map to it). */
export type CountedPlanRow = Pick<PlanRow, 'classification' | 'collection' | 'entityType' | 'entityId'>;

function entityKey(row: CountedPlanRow): string {
  return `${row.collection ?? row.entityType}/${row.entityId}`;
}

function listed(names: readonly string[], limit = 3): string {
  const shown = names.slice(0, limit);
  const rest = names.length - shown.length;
  const head = rest > 0 ? [...shown, `${rest} more`] : shown;
  return head.length <= 1 ? (head[0] ?? '') : `${head.slice(0, -1).join(', ')} and ${head.at(-1)}`;
}

function conflictPart(rows: readonly PlanRow[]): string[] {
  const parts: string[] = [];
  const byPolicyAndOutcome = new Map<string, PlanRow[]>();
  for (const row of rows) {
    const key = `${row.policy ?? 'lastWriteWins'}\u0000${row.expected}`;
    byPolicyAndOutcome.set(key, [...(byPolicyAndOutcome.get(key) ?? []), row]);
  }
  for (const [key, group] of byPolicyAndOutcome) {
    const [policy] = key.split('\u0000');
    const entities = [...new Set(group.map((row) => shortEntity(row.collection ?? row.entityType, row.entityId)))];
    const count = entities.length === group.length ? plural(group.length, 'conflict') : conflictTallyText({ ops: group.length, entities: entities.length });
    const outcome = group[0]!.expected;
    if (outcome === 'remote-kept') {
      const changes = entities.length === 1 ? `your local change to ${entities[0]} is dropped` : `your local changes to ${listed(entities)} are dropped`;
      parts.push(`${count}: ${policy} keeps the remote, and ${changes}`);
    } else if (outcome === 'held') {
      parts.push(`${count}: ${policy} holds ${entities.length === 1 ? 'it' : 'them'} for your decision (nothing sent for ${listed(entities)})`);
    } else {
      parts.push(`${count}: ${policy} sends your local change to ${listed(entities)} over the remote`);
    }
  }
  return parts;
}

export function forecastReplay(rows: readonly PlanRow[]): ReplayForecast {
  const conflicts = rows.filter((row) => row.classification === 'conflict');
  const others = rows.filter((row) => row.classification !== 'conflict');
  const count = (outcome: ExpectedOutcome): number => others.filter((row) => row.expected === outcome).length;
  const parts: string[] = [];
  if (count('applied') > 0) parts.push(`${count('applied').toLocaleString('en-US')} apply`);
  parts.push(...conflictPart(conflicts));
  if (count('already-applied') > 0) parts.push(`${count('already-applied').toLocaleString('en-US')} already applied`);
  if (count('remote-missing') > 0) parts.push(`${plural(count('remote-missing'), 'delete')} of a document already gone`);
  if (count('held') > 0) parts.push(`${count('held').toLocaleString('en-US')} held behind a conflict`);
  if (count('skipped') > 0) parts.push(`${count('skipped').toLocaleString('en-US')} not sent (blocked)`);
  const dropped = rows.filter((row) => row.expected === 'remote-kept');
  const droppedEntities = [...new Set(dropped.map(entityKey))];
  const droppedSet = new Set(droppedEntities);
  const keptIfKept = rows.filter((row) => droppedSet.has(entityKey(row))).map((row) => row.opId);
  const kept = new Set(keptIfKept);
  return {
    sentence: parts.length > 0 ? parts.join(' · ') : 'nothing to send',
    dropped,
    droppedEntities,
    sentIfKept: rows.filter((row) => !kept.has(row.opId)).map((row) => row.opId),
    keptIfKept,
  };
}

/** One line per dropped op for the confirmation: "#4 update users/k9dA2xZq: lastWriteWins: remote updatedAt … is newer". */
export function droppedLines(forecast: ReplayForecast): string[] {
  return forecast.dropped.map((row) => `#${row.opId} ${row.operation} ${entityKey(row)}${row.verdict ? `: ${row.verdict.reason}` : ''}`);
}

const classificationWords: Record<PlanRow['classification'], [string, string]> = {
  apply: ['applies', 'apply'],
  'already-applied': ['already applied', 'already applied'],
  conflict: ['conflicting op', 'conflicting ops'],
  'remote-missing': ['remote missing', 'remote missing'],
  blocked: ['blocked', 'blocked'],
};

/** The Plan tab's totals: ops per classification, conflicts also by entity ("3 conflicting ops on 2 entities"). */
export function planTotalsLine(rows: readonly CountedPlanRow[]): string {
  const parts: string[] = [];
  for (const [classification, [one, many]] of Object.entries(classificationWords) as [PlanRow['classification'], [string, string]][]) {
    const matching = rows.filter((row) => row.classification === classification);
    if (matching.length === 0) continue;
    parts.push(
      classification === 'conflict'
        ? conflictTallyText({ ops: matching.length, entities: new Set(matching.map(entityKey)).size })
        : `${matching.length.toLocaleString('en-US')} ${matching.length === 1 ? one : many}`,
    );
  }
  return parts.length > 0 ? parts.join(' · ') : 'no ops';
}
