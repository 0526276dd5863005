import type { BrowserWindow } from 'electron';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const coordinate = z.number().int().min(-100_000).max(100_000);
const length = z.number().int().min(1).max(100_000);

/** What is kept between runs: the normal (not maximized) bounds and whether the window was maximized. */
export const WindowStateSchema = z.object({
  x: coordinate,
  y: coordinate,
  width: length,
  height: length,
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

/** The saved state, or undefined when there is none or it is damaged (then the window opens as on first run). */
export function parseWindowState(text: string | undefined): WindowState | undefined {
  if (!text) return undefined;
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface WindowSize {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** A window counts as reachable when this much of it lies on one screen's work area (its title bar can be grabbed). */
const MIN_VISIBLE = { width: 120, height: 60 };

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where the window opens: the saved bounds when enough of the window's top lies on a screen that is still
 * there (its size never larger than that screen's work area), else centred on the primary screen. A screen
 * unplugged since, a changed resolution or a damaged file never leaves the window out of reach.
 */
export function restoredWindowBounds(
  saved: WindowState | undefined,
  workAreas: readonly Rect[],
  primary: Rect,
  size: WindowSize,
): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  const fit = (area: Rect, width: number, height: number) => ({
    width: Math.max(Math.min(width, area.width), Math.min(size.minWidth, area.width)),
    height: Math.max(Math.min(height, area.height), Math.min(size.minHeight, area.height)),
  });
  if (!saved) return { bounds: fit(primary, size.width, size.height), maximized: false };
  // The title bar strip decides: the window can be moved as long as it can be grabbed.
  const titleBar: Rect = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(saved.height, 40) };
  const screen = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(MIN_VISIBLE.width, saved.width) && o.height > 0 && saved.y >= area.y - 8;
  });
  if (screen) {
    const { width, height } = fit(screen, saved.width, saved.height);
    // Pulled back inside the screen where it sticks out.
    const x = Math.min(Math.max(saved.x, screen.x), screen.x + screen.width - width);
    const y = Math.min(Math.max(saved.y, screen.y), screen.y + screen.height - height);
    return { bounds: { x, y, width, height }, maximized: saved.maximized };
  }
  const { width, height } = fit(primary, saved.width, saved.height);
  return {
    bounds: {
      x: primary.x + Math.round((primary.width - width) / 2),
      y: primary.y + Math.round((primary.height - height) / 2),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}

type TrackedWindow = Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized' | 'isDestroyed'>;

/**
 * Saves the window's state a moment after it was moved, resized, maximized or restored, and when it
 * closes. `write` gets the JSON text (the glue writes it with mode 0600 into the data folder).
 */
export function trackWindowState(win: TrackedWindow, write: (text: string) => void, delayMs = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state: WindowState = {
      x: Math.round(b.x),
      y: Math.round(b.y),
      width: Math.round(b.width),
      height: Math.round(b.height),
      maximized: win.isMaximized(),
    };
    write(JSON.stringify(state));
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  for (const name of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(name as 'resize', later);
  win.on('close', save);
  return () => {
    if (timer) clearTimeout(timer);
  };
}
