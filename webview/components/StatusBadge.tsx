import { badgeText } from './badgeWords';

/** A status word in a coloured pill (classes in webview/sync/sync.css, by the value), in plain words (badgeWords.ts). */
export function StatusBadge({ value, title }: { value: string; title?: string }) {
  return (
    <span className={`status-badge status-${value}`} title={title}>
      {badgeText(value)}
    </span>
  );
}
