import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface VirtualListProps {
  count: number;
  /** Column headers (also the cell count of each row). */
  headers: string[];
  /** CSS grid template for header and rows. */
  columns: string;
  renderRow: (index: number) => { cells: ReactNode[]; className?: string; key: string | number };
  /** Row the keyboard cursor is on (scrolled into view). */
  activeIndex: number;
  onActivate: (index: number, event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }) => void;
  label: string;
}

const rowHeight = 24;

/** A keyboard-reachable, virtualized list with a header: only the visible rows are in the DOM. */
export function VirtualList({ count, headers, columns, renderRow, activeIndex, onActivate, label }: VirtualListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 10 });

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < count) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, count, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -count, End: count };
    const step = moves[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(count - 1, (activeIndex < 0 ? -1 : activeIndex) + step));
    if (count > 0) onActivate(next, { shiftKey: event.shiftKey, ctrlKey: false, metaKey: false });
  };

  return (
    <div className="vlist" role="grid" aria-label={label} aria-rowcount={count}>
      <div className="vrow vheader" role="row" style={{ gridTemplateColumns: columns }}>
        {headers.map((header) => (
          <div key={header} role="columnheader" className="vcell vheader-cell">
            {header}
          </div>
        ))}
      </div>
      <div className="vscroll" ref={scrollRef} tabIndex={0} onKeyDown={onKeyDown}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = renderRow(item.index);
            return (
              <div
                key={row.key}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={item.index === activeIndex}
                className={`vrow${item.index === activeIndex ? ' active' : ''}${row.className ? ` ${row.className}` : ''}`}
                style={{ gridTemplateColumns: columns, transform: `translateY(${item.start}px)`, height: rowHeight }}
                onClick={(event) => onActivate(item.index, event)}
              >
                {row.cells.map((cell, index) => (
                  <div key={index} role="gridcell" className="vcell">
                    {cell}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
