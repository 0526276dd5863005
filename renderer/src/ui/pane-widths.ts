/** Widths of resizable panes, kept in the renderer's storage so they come back at the next start. */
export interface PaneLimits {
  min: number;
  max: number;
  initial: number;
}

const KEY = 'ratsdesk.paneWidths';

/** The part of the Web Storage API used here (localStorage in the app; a map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The renderer's storage (localStorage), where there is one. */
export const defaultStore = (): KeyValueStore | undefined =>
  (globalThis as { localStorage?: KeyValueStore }).localStorage;

/** The stored widths, each within its limits; unknown or damaged entries fall back to the initial width. */
export function loadPaneWidths<K extends string>(
  limits: Record<K, PaneLimits>,
  storage: Pick<KeyValueStore, 'getItem'> | undefined = defaultStore(),
): Record<K, number> {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) stored = parsed as Record<string, unknown>;
  } catch {
    stored = {};
  }
  const out = {} as Record<K, number>;
  for (const key of Object.keys(limits) as K[]) {
    const value = stored[key];
    out[key] =
      typeof value === 'number' && Number.isFinite(value) ? clampWidth(value, limits[key]) : limits[key].initial;
  }
  return out;
}

export function savePaneWidths(
  widths: Record<string, number>,
  storage: KeyValueStore | undefined = defaultStore(),
): void {
  try {
    const previous: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
    const base = previous && typeof previous === 'object' && !Array.isArray(previous) ? previous : {};
    storage?.setItem(KEY, JSON.stringify({ ...base, ...widths }));
  } catch {
    storage?.setItem(KEY, JSON.stringify(widths));
  }
}

export function clampWidth(value: number, limits: PaneLimits): number {
  return Math.round(Math.min(limits.max, Math.max(limits.min, value)));
}
