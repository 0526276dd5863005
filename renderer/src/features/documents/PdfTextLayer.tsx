import { useEffect, useMemo, useRef } from 'react';
import { highlightRects, type ViewportLike } from './pdf-highlight-rects';
import { pageOffsetOf } from './pdf-text-search';
import type { PageTextEntry } from './use-pdf-search';

/** A passage selected on one page: characters `start`..`end` (exclusive) of the page text. */
export interface PageSelection {
  page: number;
  start: number;
  end: number;
}

let measureContext: CanvasRenderingContext2D | null | undefined;

/** The width the browser gives `text` in a sans-serif font of `px` pixels (to stretch a span to its item). */
function measure(text: string, px: number): number {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return 0;
  measureContext.font = `${px}px sans-serif`;
  return measureContext.measureText(text).width;
}

/** The item index and the offset inside its string of a DOM selection end inside the layer. */
function itemPoint(
  layer: HTMLElement,
  node: Node | null,
  offset: number,
): { item: number; offset: number } | undefined {
  if (!node || !layer.contains(node)) return undefined;
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element);
  const span = element?.closest<HTMLElement>('span[data-item]');
  if (span) return { item: Number(span.dataset.item), offset: node.nodeType === Node.TEXT_NODE ? offset : 0 };
  // The end sits between spans (on the layer itself): the span at that child position.
  const child = node === layer ? layer.childNodes[Math.min(offset, layer.childNodes.length - 1)] : undefined;
  if (child instanceof HTMLElement && child.dataset.item)
    return { item: Number(child.dataset.item), offset: offset >= layer.childNodes.length ? Infinity : 0 };
  return undefined;
}

/**
 * The page's text over the canvas, transparent but selectable (as pdf.js's own text layer): each text item a
 * span placed and stretched over its glyphs. A selection inside it is reported as a range of the page text,
 * the same offsets the search and the notes' anchors use.
 */
export function PdfTextLayer({
  page,
  entry,
  viewport,
  onSelect,
}: {
  page: number;
  entry: PageTextEntry;
  viewport: ViewportLike;
  onSelect(selection: PageSelection | undefined): void;
}) {
  const layerRef = useRef<HTMLDivElement>(null);
  const onSelectRef = useRef(onSelect);
  useEffect(() => {
    onSelectRef.current = onSelect;
  });

  const spans = useMemo(
    () =>
      entry.items.flatMap((item, index) => {
        if (!item.str.trim()) return [];
        const [rect] = highlightRects([item], [{ item: 0, from: 0, to: item.str.length }], viewport);
        if (!rect || rect.width <= 0 || rect.height <= 0) return [];
        const fontPx = rect.height * 0.95;
        const natural = measure(item.str, fontPx);
        return [{ index, str: item.str, rect, fontPx, scaleX: natural > 0 ? rect.width / natural : 1 }];
      }),
    [entry, viewport],
  );

  useEffect(() => {
    const report = () => {
      const layer = layerRef.current;
      const selection = document.getSelection();
      if (!layer || !selection || selection.rangeCount === 0) return;
      const range = selection.getRangeAt(0);
      const inside = layer.contains(range.startContainer) || layer.contains(range.endContainer);
      // A selection elsewhere (a field of the notes panel) leaves the passage chosen here as it is.
      if (!inside) return;
      if (range.collapsed) {
        onSelectRef.current(undefined);
        return;
      }
      const a = itemPoint(layer, range.startContainer, range.startOffset);
      const b = itemPoint(layer, range.endContainer, range.endOffset);
      const start = a && pageOffsetOf(entry.text, a.item, a.offset);
      const end = b && pageOffsetOf(entry.text, b.item, b.offset);
      if (start === undefined || end === undefined || end <= start) return;
      onSelectRef.current({ page, start, end });
    };
    document.addEventListener('selectionchange', report);
    return () => document.removeEventListener('selectionchange', report);
  }, [entry, page]);

  return (
    <div ref={layerRef} className="pdf-text-layer" data-page={page}>
      {spans.map(({ index, str, rect, fontPx, scaleX }) => (
        <span
          key={index}
          data-item={index}
          style={{
            left: rect.left,
            top: rect.top,
            fontSize: `${fontPx}px`,
            transform: `scaleX(${scaleX})`,
          }}
        >
          {str}
        </span>
      ))}
    </div>
  );
}
