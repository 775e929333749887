/** A status word in a coloured pill (classes in webview/sync/sync.css): "dead-lettered" reads "dead lettered". */
export function StatusBadge({ value, title }: { value: string; title?: string }) {
  return (
    <span className={`status-badge status-${value}`} title={title}>
      {value.replace(/-/g, ' ')}
    </span>
  );
}
