// A list beside (or, when the panel is narrow, above) its detail pane, with a separator that
// resizes the detail pane by mouse or keyboard (role="separator": arrows, Shift for bigger steps,
// Home/End). The size is remembered for the panel (savedSizes.ts).
import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode, type RefObject } from 'react';
import { loadSizes, saveSizes } from './savedSizes';
import './layout.css';
import { escapeToList } from '../components/paneKeys';

const minDetail = 140;
const minList = 160;
const keyStep = 16;
const bigKeyStep = 80;

export interface SplitPaneProps {
  /** Names the split in the webview's saved state. */
  storageKey: string;
  list: ReactNode;
  /** null: the list alone. */
  detail: ReactNode | null;
  detailLabel: string;
  /** Below this width (px) the detail pane goes under the list; Infinity: always under it. */
  stackBelow: number;
  /** The detail pane's share of the panel before the user resizes it. */
  defaultFraction?: number;
  className?: string;
}

/** The element's content box, kept up to date. */
export function useElementSize<T extends HTMLElement>(): [RefObject<T>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: Math.round(entry.contentRect.width), height: Math.round(entry.contentRect.height) });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

export function SplitPane({ storageKey, list, detail, detailLabel, stackBelow, defaultFraction = 0.4, className }: SplitPaneProps) {
  const [ref, box] = useElementSize<HTMLDivElement>();
  const stacked = box.width > 0 && box.width < stackBelow;
  const axis = stacked ? 'stacked' : 'side';
  const extent = stacked ? box.height : box.width;
  const [saved, setSaved] = useState(() => loadSizes(storageKey));
  const detailId = useId();

  const clamp = (size: number): number => Math.round(Math.max(minDetail, Math.min(Math.max(minDetail, extent - minList), size)));
  const detailSize = extent > 0 ? clamp(saved[axis] ?? extent * defaultFraction) : 0;

  const resizeTo = (size: number): void => {
    const next = { ...saved, [axis]: clamp(size) };
    setSaved(next);
    saveSizes(storageKey, next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.shiftKey ? bigKeyStep : keyStep;
    // The separator moves with the arrow: towards the list grows the detail pane.
    const grow: Record<string, number> = stacked ? { ArrowUp: step, ArrowDown: -step } : { ArrowLeft: step, ArrowRight: -step };
    if (event.key in grow) resizeTo(detailSize + grow[event.key]!);
    else if (event.key === 'Home') resizeTo(minDetail);
    else if (event.key === 'End') resizeTo(extent);
    else return;
    event.preventDefault();
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return;
    event.preventDefault();
    const separator = event.currentTarget;
    separator.setPointerCapture(event.pointerId);
    const start = stacked ? event.clientY : event.clientX;
    const startSize = detailSize;
    const move = (moved: globalThis.PointerEvent): void => resizeTo(startSize + start - (stacked ? moved.clientY : moved.clientX));
    const end = (): void => {
      separator.removeEventListener('pointermove', move);
      separator.removeEventListener('pointerup', end);
      separator.removeEventListener('pointercancel', end);
    };
    separator.addEventListener('pointermove', move);
    separator.addEventListener('pointerup', end);
    separator.addEventListener('pointercancel', end);
  };

  const percent = extent > 0 ? Math.round((detailSize / extent) * 100) : 0;
  return (
    <div ref={ref} className={`split-pane ${stacked ? 'split-stacked' : 'split-side'}${className ? ` ${className}` : ''}`}>
      <div className="split-list">{list}</div>
      {detail !== null ? (
        <>
          <div
            className="split-separator"
            role="separator"
            tabIndex={0}
            aria-label={`Resize ${detailLabel.toLowerCase()}`}
            aria-controls={detailId}
            aria-orientation={stacked ? 'horizontal' : 'vertical'}
            aria-valuenow={percent}
            aria-valuemin={0}
            aria-valuemax={100}
            title={`Drag or use the arrow keys to resize ${detailLabel.toLowerCase()}`}
            onKeyDown={onKeyDown}
            onPointerDown={onPointerDown}
            onDoubleClick={() => resizeTo(extent * defaultFraction)}
          />
          {/* Escape inside the detail hands the keyboard back to the list (webview/components/paneKeys.ts). */}
          <section id={detailId} className="split-detail" aria-label={detailLabel} style={{ flexBasis: detailSize || `${defaultFraction * 100}%` }} onKeyDown={escapeToList}>
            {detail}
          </section>
        </>
      ) : null}
    </div>
  );
}
