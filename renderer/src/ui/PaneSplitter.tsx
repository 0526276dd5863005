import { type KeyboardEvent, type PointerEvent, useRef } from 'react';
import { clampWidth, type PaneLimits } from './pane-widths';

/**
 * A separator that resizes the pane before it: drag with the pointer, or focus it and use the arrow keys
 * (Shift for larger steps), Home and End — the ARIA window-splitter pattern. Vertical (the default) sets a
 * width; horizontal sits between a pane and the one below it and sets the upper pane's height.
 */
export function PaneSplitter(props: {
  label: string;
  width: number;
  limits: PaneLimits;
  onChange(width: number): void;
  /** Called once a drag or a key press is over (to store the width). */
  onCommit(): void;
  orientation?: 'vertical' | 'horizontal';
}) {
  const { label, width, limits, onChange, onCommit, orientation = 'vertical' } = props;
  const start = useRef<{ x: number; width: number } | undefined>(undefined);
  const along = (e: PointerEvent<HTMLDivElement>) => (orientation === 'vertical' ? e.clientX : e.clientY);

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    start.current = { x: along(e), width };
    e.currentTarget.setPointerCapture(e.pointerId);
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    if (!start.current) return;
    onChange(clampWidth(start.current.width + along(e) - start.current.x, limits));
  }
  function onPointerUp() {
    if (!start.current) return;
    start.current = undefined;
    onCommit();
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const step = e.shiftKey ? 50 : 10;
    const [less, more] = orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
    const next: Record<string, number> = {
      [less]: width - step,
      [more]: width + step,
      Home: limits.min,
      End: limits.max,
    };
    const value = next[e.key];
    if (value === undefined) return;
    e.preventDefault();
    onChange(clampWidth(value, limits));
    onCommit();
  }

  return (
    <div
      className={`pane-splitter ${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuemin={limits.min}
      aria-valuemax={limits.max}
      aria-valuenow={width}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
