/**
 * Plain words for the values whose name is not one: what happens to the local change, never
 * "win"/"lose" or "remote-kept". Other values read with their hyphens as spaces ("dead-lettered"
 * stays, "backing-off" reads "backing off").
 */
export const badgeWords: Readonly<Record<string, string>> = {
  win: 'local pushed',
  lose: 'local dropped',
  held: 'held for you',
  'remote-kept': 'local dropped',
  'dead-lettered': 'dead-lettered',
};

export function badgeText(value: string): string {
  return badgeWords[value] ?? value.replace(/-/g, ' ');
}

/** A status word in a coloured pill (classes in webview/sync/sync.css, by the value). */
export function StatusBadge({ value, title }: { value: string; title?: string }) {
  return (
    <span className={`status-badge status-${value}`} title={title}>
      {badgeText(value)}
    </span>
  );
}
