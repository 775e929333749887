// A resolution is confirmed only with what it will do to each conflict, from the conflicts as last
// read (the Conflicts panel's list, read again after every write) or read now: whose local change
// is pushed, whose is dropped (listed with its queued ops), what is merged or held. A merge lists
// the values written, updatedAt and version included, as core/engine/mergeValues.ts computes them
// for the Conflicts panel's preview and for the write.
import type { FirestoreTarget } from '../../core/firestore/client';
import { previewMerge } from '../../core/engine/mergeValues';
import { previewPolicy } from '../../core/engine/policyPreview';
import { plural, shortEntity } from '../../core/protocol/planOutcome';
import type { ConflictItem, ConflictResolution, MergePreview, MergeRequest } from '../../core/protocol/syncModel';
import { taggedValueText } from '../../core/protocol/taggedValues';
import type { SyncContext } from './actions/context';
import type { WriteOutcome } from './confirmations';
import type { ConflictsPanel } from './panels';
import { engineParams } from './targets';
import { SyncWorkerProtocol } from './workerProtocol';

type Side = 'local' | 'remote' | 'merge' | 'held';

function sideOf(item: ConflictItem, resolution: ConflictResolution): Side {
  switch (resolution.kind) {
    case 'local':
    case 'remote':
    case 'merge':
      return resolution.kind;
    case 'policy':
      return item.policyOutcome;
    case 'as-policy': {
      const outcome = previewPolicy([item], resolution.policy)[0]!.outcome;
      return outcome === 'win' ? 'local' : outcome === 'lose' ? 'remote' : 'held';
    }
  }
}

function names(items: readonly ConflictItem[]): string {
  const shown = items.slice(0, 3).map((item) => shortEntity(item.collection, item.entityId));
  if (items.length > 3) shown.push(`${items.length - 3} more`);
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** What merging `request.key` with these choices writes, from the conflicts as listed; null if it is not listed. */
export function mergePreviewFor(items: readonly ConflictItem[], request: MergeRequest): MergePreview | null {
  const item = items.find((candidate) => candidate.key === request.key);
  return item ? previewMerge(item, { choices: request.choices, values: request.values }, request.mergedAt ?? Date.now()) : null;
}

const mergeSources: Record<MergePreview['fields'][number]['from'], string> = { local: 'local', remote: 'remote', edit: 'typed in', stamp: 'set by the merge' };

/** The values a merge writes, one line per field, then why updatedAt and version are set. */
export function mergeLines(preview: MergePreview): string[] {
  return [
    `Written to both sides of ${preview.key}:`,
    ...preview.fields.map((field) => `  ${field.field} = ${taggedValueText(field.value)} (${mergeSources[field.from]})`),
    preview.stampReason,
  ];
}

export function resolveOutcome(items: readonly ConflictItem[], keys: readonly string[], resolution: ConflictResolution, merge: MergePreview | null = null): WriteOutcome {
  const byKey = new Map(items.map((item) => [item.key, item]));
  const chosen = keys.flatMap((key) => byKey.get(key) ?? []);
  const gone = keys.length - chosen.length;
  const of = (side: Side): ConflictItem[] => chosen.filter((item) => sideOf(item, resolution) === side);
  const how = resolution.kind === 'as-policy' ? `${resolution.policy} ` : resolution.kind === 'policy' ? 'its policy ' : '';
  const parts: string[] = [];
  const pushed = of('local');
  if (pushed.length > 0) parts.push(`${plural(pushed.length, 'conflict')}: ${how}sends your local change to ${names(pushed)} over the remote`);
  const dropped = of('remote');
  if (dropped.length > 0) {
    parts.push(`${plural(dropped.length, 'conflict')}: ${how}keeps the remote, and your local ${dropped.length === 1 ? `change to ${names(dropped)} is` : `changes to ${names(dropped)} are`} dropped`);
  }
  const merged = of('merge');
  if (merged.length > 0) parts.push(`${plural(merged.length, 'conflict')}: the merged fields are written to both sides of ${names(merged)}`);
  const held = of('held');
  if (held.length > 0) parts.push(`${plural(held.length, 'conflict')}: held for your decision, nothing written for ${names(held)}`);
  if (gone > 0) parts.push(`${gone.toLocaleString('en-US')} no longer in conflict (nothing written for ${gone === 1 ? 'it' : 'them'})`);
  const lines = [`What will happen: ${parts.join(' · ') || 'nothing'}.`];
  if (dropped.length > 0) {
    lines.push(
      `Your local change is dropped for ${plural(dropped.length, 'entity', 'entities')} (the local row takes the remote version):`,
      ...dropped.map((item) => `  ${item.key}: ${item.pendingOpIds.length > 0 ? `queued ${item.pendingOpIds.map((id) => `#${id}`).join(', ')} dropped` : 'local row replaced'}`),
    );
  }
  if (merge) lines.push(...mergeLines(merge));
  return { detail: lines.join('\n'), mustAsk: dropped.length > 0 };
}

/** The conflicts the Conflicts panel shows (read again after each write), else read now. */
export async function conflictsForConfirmation(ctx: SyncContext, panel: ConflictsPanel, target: FirestoreTarget): Promise<readonly ConflictItem[]> {
  return panel.state.items ?? (await ctx.worker.endpoint.sendRequest(SyncWorkerProtocol.listConflicts, engineParams(panel.path, target)));
}
