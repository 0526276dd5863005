import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useRef } from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  /** Accessible name of the list. */
  label: string;
  estimateSize: number;
  /** Height of the scroll area in px, at most; smaller lists take their own height. */
  maxHeight: number;
  itemKey: (item: T) => string;
  renderItem: (item: T, index: number) => ReactNode;
  className?: string;
}

/** A list that can grow: only the visible rows are in the DOM (rows may differ in height). */
export function VirtualList<T>({
  items,
  label,
  estimateSize,
  maxHeight,
  itemKey,
  renderItem,
  className,
}: VirtualListProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    overscan: 8,
    getItemKey: (index) => itemKey(items[index] as T),
  });
  const total = virtualizer.getTotalSize();
  return (
    <div
      ref={scrollRef}
      className={`ris-virtual ${className ?? ''}`}
      style={{ maxHeight, height: Math.min(maxHeight, Math.max(total, 1)) }}
    >
      <ul aria-label={label} className="ris-virtual-inner" style={{ height: total }}>
        {virtualizer.getVirtualItems().map((row) => (
          <li
            key={row.key}
            data-index={row.index}
            ref={virtualizer.measureElement}
            aria-setsize={items.length}
            aria-posinset={row.index + 1}
            style={{ transform: `translateY(${row.start}px)` }}
          >
            {renderItem(items[row.index] as T, row.index)}
          </li>
        ))}
      </ul>
    </div>
  );
}
