// The Conflicts panel's merge table: per differing field the local and remote values, the side the
// merge takes (or a typed JSON value), and the value written as the engine computes it (the
// previewMerge request: core/engine/mergeValues.ts). updatedAt and version are set by the merge so
// that it wins over both sides; their rows say so, and the line under the table says why.
import type { ConflictItem, JsonValue, MergePreview } from '../../core/protocol/syncModel';
import { compact } from './format';

export type FieldChoice = 'local' | 'remote' | 'edit';

const sourceWords: Record<MergePreview['fields'][number]['from'], string> = { local: 'from local', remote: 'from remote', edit: 'typed in', stamp: 'set by the merge' };

export interface MergeTableProps {
  conflict: ConflictItem;
  choices: Record<string, FieldChoice>;
  edits: Record<string, string>;
  editErrors: Record<string, string>;
  preview: MergePreview | null;
  onChoose: (field: string, choice: FieldChoice) => void;
  onEdit: (field: string, text: string) => void;
}

export function MergeTable({ conflict, choices, edits, editErrors, preview, onChoose, onEdit }: MergeTableProps) {
  const written = new Map((preview?.key === conflict.key ? preview.fields : []).map((field) => [field.field, field] as const));
  const differing = new Set(conflict.differences.map((difference) => difference.field));
  // Fields the merge stamps though both sides agree (an equal version is still bumped).
  const stampedOnly = [...written.values()].filter((field) => field.from === 'stamp' && !differing.has(field.field));
  const writtenCell = (field: string) => {
    const value = written.get(field);
    if (!value) return <td className="muted">…</td>;
    return (
      <td className={value.from === 'stamp' ? 'written stamped' : 'written'}>
        {compact(value.value)} <span className="muted">({sourceWords[value.from]})</span>
      </td>
    );
  };
  return (
    <>
      <table className="summary-table fields-table">
        <thead>
          <tr>
            <th>field</th>
            <th>local</th>
            <th>remote</th>
            <th>merge takes</th>
            <th>written</th>
          </tr>
        </thead>
        <tbody>
          {conflict.differences.map((difference) => {
            const choice = choices[difference.field] ?? 'remote';
            return (
              <tr key={difference.field}>
                <td>{difference.field}</td>
                <td className={choice === 'local' ? 'chosen' : ''}>{compact(difference.local)}</td>
                <td className={choice === 'remote' ? 'chosen' : ''}>{compact(difference.remote)}</td>
                <td>
                  <div className="choice" role="radiogroup" aria-label={`Merge value of ${difference.field}`}>
                    {(['local', 'remote', 'edit'] as const).map((option) => (
                      <label key={option}>
                        <input type="radio" name={`choice-${difference.field}`} checked={choice === option} onChange={() => onChoose(difference.field, option)} />
                        {option}
                      </label>
                    ))}
                  </div>
                  {choice === 'edit' ? (
                    <input
                      className={`json-edit${editErrors[difference.field] ? ' invalid' : ''}`}
                      aria-label={`JSON value of ${difference.field}`}
                      aria-invalid={editErrors[difference.field] ? true : undefined}
                      title={editErrors[difference.field] ?? 'A JSON value'}
                      value={edits[difference.field] ?? ''}
                      onChange={(event) => onEdit(difference.field, event.target.value)}
                    />
                  ) : null}
                  {editErrors[difference.field] ? <div className="error-text">{editErrors[difference.field]}</div> : null}
                </td>
                {writtenCell(difference.field)}
              </tr>
            );
          })}
          {stampedOnly.map((field) => (
            <tr key={field.field}>
              <td>{field.field}</td>
              <td>{compact(conflict.local[field.field] as JsonValue | undefined)}</td>
              <td>{compact(conflict.remote[field.field] as JsonValue | undefined)}</td>
              <td className="muted">equal on both sides</td>
              {writtenCell(field.field)}
            </tr>
          ))}
        </tbody>
      </table>
      {preview?.key === conflict.key ? <p className="merge-why">{preview.stampReason}</p> : null}
    </>
  );
}
