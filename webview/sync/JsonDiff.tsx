import { diffJson } from 'diff';
import { useMemo } from 'react';
import { tagOf, taggedValueText, type JsonObject, type JsonValue } from '../../core/protocol/taggedValues';

/** Tagged values ({"$timestamp": ...}) as the one line people read, `Timestamp(...)`, so the diff compares values, not tags. */
function readable(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (tagOf(value) !== null) return taggedValueText(value);
  if (Array.isArray(value)) return value.map(readable);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, readable(item)]));
}

/** Line diff of two documents (keys sorted): removed lines are `before` only, added `after` only. */
export function JsonDiff({ before, after, beforeLabel, afterLabel }: { before: JsonObject; after: JsonObject; beforeLabel: string; afterLabel: string }) {
  const parts = useMemo(() => diffJson(readable(before) as JsonObject, readable(after) as JsonObject), [before, after]);
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
