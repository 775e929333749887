import { diffJson } from 'diff';
import { useMemo } from 'react';
import type { JsonObject } from '../../core/protocol/syncModel';

/** Line diff of two documents (keys sorted): removed lines are `before` only, added `after` only. */
export function JsonDiff({ before, after, beforeLabel, afterLabel }: { before: JsonObject; after: JsonObject; beforeLabel: string; afterLabel: string }) {
  const parts = useMemo(() => diffJson(before, after), [before, after]);
  return (
    <div className="json-diff" aria-label={`Diff: ${beforeLabel} to ${afterLabel}`}>
      <div className="diff-legend">
        <span className="diff-removed-sample">− {beforeLabel}</span> <span className="diff-added-sample">+ {afterLabel}</span>
      </div>
      <pre className="code">
        {parts.flatMap((part, partIndex) =>
          part.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line, lineIndex) => (
              <div key={`${partIndex}:${lineIndex}`} className={part.added ? 'diff-added' : part.removed ? 'diff-removed' : 'diff-same'}>
                {part.added ? '+ ' : part.removed ? '- ' : '  '}
                {line}
              </div>
            )),
        )}
      </pre>
    </div>
  );
}
