// The Plan tab: each op's classification against the remote, and what it would write beside the
// remote document.
import { planTotalsLine, plural } from '../../../core/protocol/planOutcome';
import type { PlanRow } from '../../../core/protocol/syncModel';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, pretty } from '../format';
import { JsonDiff } from '../JsonDiff';
import { SdkPlanPane, sdkPlanTotalsLine } from './SdkPlanPane';
import { planOutdatedReason, type SyncQueueEvent, type SyncQueueState } from '../useSyncQueue';
import { SplitPane } from '../../layout/SplitPane';
import { VirtualList, type ListColumn } from '../VirtualList';

const planColumns: ListColumn[] = [
  { id: 'id', label: '#', size: 56 },
  { id: 'operation', label: 'operation', size: 84 },
  { id: 'entity', label: 'entity', size: 170, grow: 1 },
  { id: 'classification', label: 'classification', size: 130 },
  { id: 'reason', label: 'reason', size: 240, grow: 2 },
];
/** Below this width the detail pane goes under the list. */
const stackPlanBelow = 1100;

export function PlanTab({ state, dispatch }: { state: SyncQueueState; dispatch: (event: SyncQueueEvent) => void }) {
  const { plan, planIndex } = state;
  const planRows = plan?.rows ?? [];
  const activePlan: PlanRow | null = planRows[planIndex] ?? null;
  const outdated = planOutdatedReason(state);
  const list = (
    <>
      <div className="filters">
        {plan ? (
          <span className={outdated ? 'plan-line plan-outdated' : 'plan-line'}>
            {outdated ? <strong>Outdated plan: {outdated}. </strong> : null}
            Planned against {plan.target} at {dateTime(plan.plannedAt)} · {plural(plan.remoteReads, plan.rows.some((row) => row.sdk) ? 'document read' : 'bulk read')} · {sdkPlanTotalsLine(plan.rows) ?? planTotalsLine(plan.rows)}
          </span>
        ) : (
          <span className="muted">No plan yet: Plan reads the remote documents the queue touches and writes nothing.</span>
        )}
      </div>
      <VirtualList
        label="Plan"
        count={planRows.length}
        columns={planColumns}
        storageKey={`${state.queue?.fileName ?? ''}/${state.queue?.table ?? ''}:plan`}
        activeIndex={planIndex}
        onActivate={(index) => dispatch({ type: 'planIndex', index })}
        renderRow={(index) => {
          const row = planRows[index]!;
          return {
            key: row.opId,
            cells: [`#${row.opId}`, row.operation, <span title={`${row.entityType}/${row.entityId}`}>{`${row.entityType}/${row.entityId}`}</span>, <StatusBadge value={row.sdk?.verdict ?? row.classification} />, <span title={row.reason}>{row.reason}</span>],
          };
        }}
      />
    </>
  );
  return (
    <SplitPane
      storageKey="plan-detail"
      list={list}
      detail={<div className="detail">{activePlan ? <PlanPane row={activePlan} /> : <p className="muted">Select an operation to see what it would write beside the remote document.</p>}</div>}
      detailLabel="Plan detail"
      stackBelow={stackPlanBelow}
    />
  );
}

function PlanPane({ row }: { row: PlanRow }) {
  if (row.sdk) return <SdkPlanPane row={row} sdk={row.sdk} />;
  return (
    <div>
      <h3>
        #{row.opId} {row.operation} {row.collection ?? row.entityType}/{row.entityId} <StatusBadge value={row.classification} />
      </h3>
      <p>{row.reason}</p>
      {row.verdict ? (
        <p>
          Policy {row.policy}: {row.verdict.winner} wins — {row.verdict.reason}
        </p>
      ) : null}
      <div className="side-by-side">
        <div>
          <h4>Would write</h4>
          <pre className="code">{row.document ? pretty(row.document) : row.operation === 'delete' ? 'soft delete (isDeleted: true, deletedAt: server time)' : '(nothing)'}</pre>
        </div>
        <div>
          <h4>Remote document</h4>
          <pre className="code">{row.remote ? pretty(row.remote) : '(missing or not read)'}</pre>
        </div>
      </div>
      {row.remote && row.document ? (
        <>
          <h4>Remote → this write</h4>
          <JsonDiff before={row.remote} after={{ ...row.remote, ...row.document }} beforeLabel="remote now" afterLabel="after this op" />
        </>
      ) : null}
    </div>
  );
}
