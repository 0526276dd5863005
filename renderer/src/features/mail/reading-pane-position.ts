import type { KeyValueStore } from '../../ui/pane-widths';

/** Where the reading pane sits: right of the message list (the default) or below it. */
export type ReadingPanePosition = 'right' | 'below';

const KEY = 'ratsdesk.readingPane';

const defaultStore = (): KeyValueStore | undefined => (globalThis as { localStorage?: KeyValueStore }).localStorage;

/** The position chosen last time (kept with the pane widths in the renderer's storage). */
export function loadReadingPanePosition(storage = defaultStore()): ReadingPanePosition {
  try {
    return storage?.getItem(KEY) === 'below' ? 'below' : 'right';
  } catch {
    return 'right';
  }
}

export function saveReadingPanePosition(position: ReadingPanePosition, storage = defaultStore()): void {
  try {
    storage?.setItem(KEY, position);
  } catch {
    // Storage full or unavailable: the choice holds for this session only.
  }
}
