// "What if" for Resolve All by Policy: what a policy would do to each listed conflict, computed
// from the conflicts already read; nothing is sent or written.
import { applyPolicy } from './resolver';
import type { ConflictPolicyName, PolicyPreviewRow, Verdict } from './types';

/** What the preview needs of a conflict (a ConflictView mapped for a webview carries it). */
export interface PreviewedConflict {
  /** `collection/entityId`. */
  readonly key: string;
  readonly verdict: Verdict;
  readonly pendingOpIds: readonly number[];
}

export function previewPolicy(items: readonly PreviewedConflict[], policy: ConflictPolicyName): PolicyPreviewRow[] {
  return items.map((item) => {
    const decision = applyPolicy(policy, item.verdict);
    const outcome = decision.outcome === 'local' ? 'win' : decision.outcome === 'remote' ? 'lose' : 'held';
    const ops = item.pendingOpIds.length;
    const effect =
      outcome === 'win'
        ? `${ops} queued op(s) pushed; the remote is overwritten`
        : outcome === 'lose'
          ? `${ops} queued op(s) dropped; the local row takes the remote version`
          : 'nothing happens: held for a manual decision';
    return { key: item.key, outcome, opIds: item.pendingOpIds, reason: `${decision.reason} — ${effect}` };
  });
}
