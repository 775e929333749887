// Sizes the user dragged (column widths per database and table, a detail pane's size), kept in the
// webview's state: VS Code hands it back when the webview reloads. Only sizes, never data values.
import { loadPanelState, savePanelState } from '../vscodeApi';

type SizeMap = Record<string, number>;
interface SavedSizes {
  sizes: Record<string, SizeMap>;
}

/** Tables remembered per panel: the oldest are forgotten first, so the state stays small. */
const maxRemembered = 64;

function isSizeMap(value: unknown): value is SizeMap {
  return typeof value === 'object' && value !== null && Object.values(value).every((size) => typeof size === 'number' && Number.isFinite(size) && size > 0);
}

function isSavedSizes(value: unknown): value is SavedSizes {
  if (typeof value !== 'object' || value === null || !('sizes' in value)) return false;
  const { sizes } = value;
  return typeof sizes === 'object' && sizes !== null && Object.values(sizes).every(isSizeMap);
}

export function loadSizes(key: string): SizeMap {
  return loadPanelState(isSavedSizes)?.sizes[key] ?? {};
}

export function saveSizes(key: string, sizes: SizeMap): void {
  const { [key]: _previous, ...others } = loadPanelState(isSavedSizes)?.sizes ?? {};
  const kept = Object.entries(others).slice(-(maxRemembered - 1));
  savePanelState({ sizes: { ...Object.fromEntries(kept), [key]: sizes } });
}
