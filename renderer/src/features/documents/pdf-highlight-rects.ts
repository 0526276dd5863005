import type { ItemRange } from './pdf-text-search';

/** What a highlight needs of a pdf.js text item. */
export interface PositionedText {
  str: string;
  /** [a, b, c, d, e, f]: the item's text matrix in PDF user space. */
  transform: number[];
  /** Advance width of the whole item, PDF user space. */
  width: number;
  height: number;
}

export interface ViewportLike {
  convertToViewportRectangle(rect: number[]): number[];
}

export interface HighlightRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Rectangles (CSS pixels over the rendered page) covering the given character ranges of text items.
 * Characters are assumed equally wide inside one item: close enough to mark a word.
 */
export function highlightRects(
  items: readonly PositionedText[],
  ranges: readonly ItemRange[],
  viewport: ViewportLike,
): HighlightRect[] {
  const rects: HighlightRect[] = [];
  for (const range of ranges) {
    const item = items[range.item];
    if (!item || item.str.length === 0) continue;
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
    const fontHeight = item.height || Math.hypot(c, d) || Math.hypot(a, b);
    const len = item.str.length;
    const x1 = e + (item.width * range.from) / len;
    const x2 = e + (item.width * range.to) / len;
    const [vx1 = 0, vy1 = 0, vx2 = 0, vy2 = 0] = viewport.convertToViewportRectangle([
      x1,
      f - fontHeight * 0.2,
      x2,
      f + fontHeight * 0.85,
    ]);
    rects.push({
      left: Math.min(vx1, vx2),
      top: Math.min(vy1, vy2),
      width: Math.abs(vx2 - vx1),
      height: Math.abs(vy2 - vy1),
    });
  }
  return rects;
}
