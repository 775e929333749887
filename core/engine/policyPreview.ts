// "What if" for Resolve All by Policy: what a policy would do to each listed conflict, computed
// from the conflicts already read; nothing is sent or written.
import type { ConflictItem } from '../protocol/syncModel';
import type { PolicyPreviewRow } from '../protocol/syncViews';
import { applyPolicy } from './resolver';
import type { ConflictPolicyName } from './types';

export function previewPolicy(items: readonly ConflictItem[], policy: ConflictPolicyName): PolicyPreviewRow[] {
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
