import {
  type KeyboardEvent as ReactKeyboardEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

/** One entry of a context menu; `separator` draws a line above it. */
export interface MenuEntry {
  id: string;
  label: string;
  /** aria-keyshortcuts value. */
  shortcut?: string;
  /** The key as printed on the keyboard ("R", "Entf"), shown beside the label. */
  keyLabel?: string;
  disabled?: boolean;
  separator?: boolean;
  run(): void;
}

export interface MenuRequest {
  /** The menu's accessible name (what it is about: "Nachricht", "Ordner „Projekte“" …). */
  label: string;
  x: number;
  y: number;
  entries: MenuEntry[];
  /** Where focus goes back when the menu closes (the row, folder or button it was opened on). */
  returnFocus: HTMLElement | null;
}

/** Is this key press a request for the context menu (the Menu key, or Shift+F10)? */
export function isMenuKey(e: { key: string; shiftKey: boolean }): boolean {
  return e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10');
}

/** Where a menu opened by keyboard appears: at the lower left of the focused element. */
export function menuPointFor(el: Element): { x: number; y: number } {
  const r = el.getBoundingClientRect();
  return { x: r.left + 8, y: r.top + Math.min(r.height, 24) };
}

/** State of one context menu: `open` shows it, `close` hides it and returns focus. */
export function useContextMenu() {
  const [request, setRequest] = useState<MenuRequest | undefined>();
  const open = useCallback((r: MenuRequest) => setRequest(r), []);
  const close = useCallback(() => setRequest(undefined), []);
  return { request, open, close };
}

/**
 * A context menu (right-click, the Menu key, Shift+F10) as an ARIA menu: focus moves into it, the arrow
 * keys, Home and End move between entries, Enter runs one, Escape or Tab closes it and focus returns to
 * where the menu was opened; a click outside closes it too.
 */
export function ContextMenu({ request, onClose }: { request: MenuRequest | undefined; onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number }>({ left: 0, top: 0 });

  const closeAndReturn = useCallback(() => {
    const back = request?.returnFocus;
    onClose();
    if (back?.isConnected) back.focus();
  }, [request, onClose]);

  // Keep the menu inside the window; focus the first entry.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!request || !el) return;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    setPos({
      left: Math.max(0, Math.min(request.x, window.innerWidth - w - 4)),
      top: Math.max(0, Math.min(request.y, window.innerHeight - h - 4)),
    });
    el.querySelector<HTMLButtonElement>('[role="menuitem"]:not([disabled])')?.focus();
  }, [request]);

  useEffect(() => {
    if (!request) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    // Closed by the window (it lost focus or changed size): focus still goes back where the menu was opened,
    // not to the page body, so the keyboard and the screen reader keep their place.
    const onBlur = () => closeAndReturn();
    document.addEventListener('mousedown', onDown, true);
    window.addEventListener('blur', onBlur);
    window.addEventListener('resize', onBlur);
    return () => {
      document.removeEventListener('mousedown', onDown, true);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('resize', onBlur);
    };
  }, [request, onClose, closeAndReturn]);

  if (!request) return null;

  function onKeyDown(e: ReactKeyboardEvent<HTMLDivElement>) {
    const items = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = (at + 1) % items.length;
    else if (e.key === 'ArrowUp') next = (at - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Escape' || e.key === 'Tab' || isMenuKey(e)) {
      e.preventDefault();
      e.stopPropagation();
      closeAndReturn();
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    items[next]?.focus();
  }

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={request.label}
      style={{ left: pos.left, top: pos.top }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {request.entries.map((entry) => (
        <div key={entry.id} role="none" className={entry.separator ? 'separated' : undefined}>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            disabled={entry.disabled}
            aria-keyshortcuts={entry.shortcut || undefined}
            data-action={entry.id}
            onClick={() => {
              closeAndReturn();
              entry.run();
            }}
          >
            <span className="label">{entry.label}</span>
            {entry.keyLabel && (
              <span className="shortcut" aria-hidden="true">
                {entry.keyLabel}
              </span>
            )}
          </button>
        </div>
      ))}
    </div>
  );
}
