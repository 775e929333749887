/**
 * Header labels show in full; only one the user narrowed below its text (ellipsis) gets its text as
 * a tooltip. Run after layout whenever the widths change.
 */
export function markTruncatedHeaders(container: HTMLElement | null): void {
  if (!container) return;
  for (const label of container.querySelectorAll<HTMLElement>('.header-label')) {
    if (label.scrollWidth > label.clientWidth) label.title = label.textContent ?? '';
    else label.removeAttribute('title');
  }
}
