// The Plan tab's detail for a pending write of the Firestore SDK's own cache: the SDK's verdict, the
// write as the SDK will send it (kind, batch, user, field mask, precondition, transforms) beside the
// target's document as the write finds it. SyncLens never sends it: the app's SDK does.
import type { PlanRow, SdkPlanFacts } from '../../../core/protocol/syncModel';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, pretty } from '../format';
import { JsonDiff } from '../JsonDiff';

const verdictWords: Record<SdkPlanFacts['verdict'], [string, string]> = {
  apply: ['will apply', 'will apply'],
  'remote-newer': ['remote newer', 'remote newer'],
  'remote-missing': ['remote missing', 'remote missing'],
  'already-equal': ['already equal', 'already equal'],
};

/** "1 will apply · 2 remote newer" for a plan of SDK writes; null for a table queue's plan. */
export function sdkPlanTotalsLine(rows: readonly PlanRow[]): string | null {
  if (!rows.some((row) => row.sdk)) return null;
  const parts: string[] = [];
  for (const [verdict, [one, many]] of Object.entries(verdictWords) as [SdkPlanFacts['verdict'], [string, string]][]) {
    const count = rows.filter((row) => row.sdk?.verdict === verdict).length;
    if (count > 0) parts.push(`${count} ${count === 1 ? one : many}`);
  }
  return `${parts.join(' · ')} · sent by the Firestore SDK, not by SyncLens`;
}

export function SdkPlanPane({ row, sdk }: { row: PlanRow; sdk: SdkPlanFacts }) {
  const facts = [
    sdk.batchId === null ? null : `batch ${sdk.batchId}`,
    sdk.user === null ? null : `user ${sdk.user}`,
    sdk.fieldMask ? `field mask ${sdk.fieldMask.join(', ') || '(none)'}` : null,
    sdk.precondition ? `precondition ${sdk.precondition}` : null,
    ...sdk.transforms,
  ].filter((fact): fact is string => fact !== null);
  const after = row.document && (row.operation === 'set' ? row.document : { ...(row.remote ?? {}), ...row.document });
  return (
    <div>
      <h3>
        #{row.opId} {row.operation} {sdk.path} <StatusBadge value={sdk.verdict} />
      </h3>
      <p>{row.reason}</p>
      <p className="muted">
        {facts.join(' · ')}
        {facts.length ? ' · ' : ''}the Firestore SDK sends it when the app is online; SyncLens only reads it.
      </p>
      <div className="side-by-side">
        <div>
          <h4>The SDK will send</h4>
          <pre className="code">{row.document ? pretty(row.document) : row.operation === 'delete' ? `delete ${sdk.path}` : '(no fields)'}</pre>
        </div>
        <div>
          <h4>Target document{sdk.remoteUpdatedAt === null ? '' : `, updated ${dateTime(sdk.remoteUpdatedAt)}`}</h4>
          <pre className="code">{row.remote ? pretty(row.remote) : '(does not exist)'}</pre>
        </div>
      </div>
      {row.remote && after ? (
        <>
          <h4>Target → after this write</h4>
          <JsonDiff before={row.remote} after={after} beforeLabel="target now" afterLabel="after this write" />
        </>
      ) : null}
    </div>
  );
}
