// The Compare tab: per collection, local rows against remote documents, and what differs.
import type { CompareReport } from '../../../core/protocol/syncModel';
import { StatusBadge } from '../../components/StatusBadge';

export function CompareTab({ compare }: { compare: CompareReport | null }) {
  return (
    <section className="single-pane scroll-pane">
      {compare ? (
        <>
          <table className="summary-table">
            <thead>
              <tr>
                <th>collection</th>
                <th>table</th>
                <th>local rows</th>
                <th>remote documents</th>
                <th>in sync</th>
              </tr>
            </thead>
            <tbody>
              {compare.collections.map((entry) => (
                <tr key={entry.collection}>
                  <td>{entry.collection}</td>
                  <td>{entry.table}</td>
                  <td>{entry.localRows}</td>
                  <td>{entry.remoteDocuments}</td>
                  <td>{entry.inSync}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="findings">
            {compare.findings.map((finding, index) => (
              <li key={index}>
                <StatusBadge value={finding.kind} />
                <span className="finding-text">{finding.message}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">Compare reads every document of each synced collection and lists what differs from the local rows. Nothing is written.</p>
      )}
    </section>
  );
}
