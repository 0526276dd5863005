import { describe, expect, test, vi } from 'vitest';
import { policyKeys } from '../../electron/contract/policy';
import { protectWindowsFromCapture } from '../../electron/main/capture-protection';
import { badgePlan, createUnreadBadge, unreadDotBitmap } from '../../electron/main/unread-badge';
import { parseWindowState, restoredWindowBounds, trackWindowState } from '../../electron/main/window-state';

// Electron cannot launch on CI: its objects are stubbed here, at that boundary only.

function fakeApp() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  return {
    on: vi.fn((name: string, fn: (...args: unknown[]) => void) => listeners.set(name, fn)),
    createWindow() {
      const win = { setContentProtection: vi.fn() };
      listeners.get('browser-window-created')?.({}, win);
      return win;
    },
  };
}

describe('screen capture protection (policy screenCaptureProtection)', () => {
  test('on: every window created afterwards, and those already open, are content-protected', () => {
    const app = fakeApp();
    const open = { setContentProtection: vi.fn() };
    expect(protectWindowsFromCapture(app as never, true, [open])).toBe(true);
    expect(open.setContentProtection).toHaveBeenCalledWith(true);
    const main = app.createWindow();
    const ris = app.createWindow();
    expect(main.setContentProtection).toHaveBeenCalledWith(true);
    expect(ris.setContentProtection).toHaveBeenCalledWith(true);
  });

  test('off (the default): no window is touched', () => {
    const app = fakeApp();
    expect(protectWindowsFromCapture(app as never, policyKeys.screenCaptureProtection.default)).toBe(false);
    expect(app.createWindow().setContentProtection).not.toHaveBeenCalled();
    expect(policyKeys.screenCaptureProtection.safe).toBe(true);
  });
});

describe('unread badge (policy unreadBadge)', () => {
  test('macOS and Linux: the count on the icon; Windows: an overlay with a spoken description', () => {
    expect(badgePlan(3, { platform: 'darwin', enabled: true, language: 'de' })).toEqual({ badgeCount: 3 });
    expect(badgePlan(3, { platform: 'linux', enabled: true, language: 'de' })).toEqual({ badgeCount: 3 });
    expect(badgePlan(1, { platform: 'win32', enabled: true, language: 'de' })).toEqual({
      overlay: { description: '1 ungelesene Nachricht' },
    });
    expect(badgePlan(12, { platform: 'win32', enabled: true, language: 'en' })).toEqual({
      overlay: { description: '12 unread messages' },
    });
    expect(badgePlan(0, { platform: 'win32', enabled: true, language: 'de' })).toEqual({ overlay: null });
    expect(badgePlan(-4, { platform: 'darwin', enabled: true, language: 'de' })).toEqual({ badgeCount: 0 });
  });

  test('the policy turns it off and removes what was shown', () => {
    expect(badgePlan(7, { platform: 'darwin', enabled: false, language: 'de' })).toEqual({ badgeCount: 0 });
    expect(badgePlan(7, { platform: 'win32', enabled: false, language: 'de' })).toEqual({ overlay: null });
    expect(policyKeys.unreadBadge.default).toBe(true);
  });

  test('applied to the app and the window; the overlay image is drawn once', () => {
    const app = { setBadgeCount: vi.fn(() => true) };
    const overlay = {};
    const createOverlay = vi.fn(() => overlay);
    const win = { setOverlayIcon: vi.fn() };
    const apply = createUnreadBadge({ app, createOverlay } as never, () => win);
    apply(badgePlan(5, { platform: 'linux', enabled: true, language: 'de' }));
    expect(app.setBadgeCount).toHaveBeenCalledWith(5);
    apply(badgePlan(5, { platform: 'win32', enabled: true, language: 'de' }));
    apply(badgePlan(6, { platform: 'win32', enabled: true, language: 'de' }));
    expect(createOverlay).toHaveBeenCalledOnce();
    expect(win.setOverlayIcon).toHaveBeenLastCalledWith(overlay, '6 ungelesene Nachrichten');
    apply(badgePlan(0, { platform: 'win32', enabled: true, language: 'de' }));
    expect(win.setOverlayIcon).toHaveBeenLastCalledWith(null, '');
  });

  test('the overlay dot is a round, opaque red mark with transparent corners', () => {
    const bmp = unreadDotBitmap(16);
    expect(bmp.length).toBe(16 * 16 * 4);
    const px = (x: number, y: number) => [...bmp.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4)];
    expect(px(8, 8)).toEqual([0x26, 0x26, 0xc6, 0xff]);
    expect(px(0, 0)[3]).toBe(0);
  });
});

describe('window state', () => {
  const size = { width: 1280, height: 820, minWidth: 720, minHeight: 480 };
  const laptop = { x: 0, y: 0, width: 1920, height: 1050 };
  const external = { x: 1920, y: 0, width: 2560, height: 1400 };

  test('first run: the default size, centred by the system', () => {
    expect(restoredWindowBounds(undefined, [laptop], laptop, size)).toEqual({
      bounds: { width: 1280, height: 820 },
      maximized: false,
    });
  });

  test('size, position and maximized state come back while their screen is there', () => {
    const saved = { x: 2100, y: 80, width: 1500, height: 1000, maximized: true };
    expect(restoredWindowBounds(saved, [laptop, external], laptop, size)).toEqual({
      bounds: { x: 2100, y: 80, width: 1500, height: 1000 },
      maximized: true,
    });
  });

  test('the external screen is gone: centred on the primary screen, no larger than it', () => {
    const saved = { x: 2100, y: 80, width: 2400, height: 1300, maximized: false };
    expect(restoredWindowBounds(saved, [laptop], laptop, size)).toEqual({
      bounds: { x: 0, y: 0, width: 1920, height: 1050 },
      maximized: false,
    });
    const small = { x: 3000, y: 200, width: 1000, height: 700, maximized: false };
    expect(restoredWindowBounds(small, [laptop], laptop, size).bounds).toEqual({
      x: 460,
      y: 175,
      width: 1000,
      height: 700,
    });
  });

  test('a title bar above the screen or only a sliver on it is pulled back into reach', () => {
    expect(
      restoredWindowBounds({ x: 100, y: -500, width: 1000, height: 700, maximized: false }, [laptop], laptop, size)
        .bounds.y,
    ).toBeGreaterThanOrEqual(0);
    const sliver = restoredWindowBounds(
      { x: 1900, y: 100, width: 1000, height: 700, maximized: false },
      [laptop],
      laptop,
      size,
    ).bounds;
    expect(sliver.x! + sliver.width).toBeLessThanOrEqual(1920);
    // Partly off the right edge but grabbable: kept on that screen, pushed inside.
    const partly = restoredWindowBounds(
      { x: 1500, y: 100, width: 1000, height: 700, maximized: false },
      [laptop],
      laptop,
      size,
    ).bounds;
    expect(partly).toEqual({ x: 920, y: 100, width: 1000, height: 700 });
  });

  test('a damaged or hostile state file counts as none', () => {
    expect(parseWindowState('{')).toBeUndefined();
    expect(parseWindowState(JSON.stringify({ x: 1, y: 1, width: -5, height: 10, maximized: false }))).toBeUndefined();
    expect(parseWindowState(JSON.stringify({ x: 1e12, y: 1, width: 5, height: 10, maximized: false }))).toBeUndefined();
    expect(parseWindowState(undefined)).toBeUndefined();
    expect(parseWindowState('{"x":10,"y":20,"width":800,"height":600,"maximized":true}')).toEqual({
      x: 10,
      y: 20,
      width: 800,
      height: 600,
      maximized: true,
    });
  });

  test('moves and resizes are saved a moment later, and at close; the normal bounds even when maximized', () => {
    vi.useFakeTimers();
    try {
      const listeners = new Map<string, () => void>();
      let maximized = false;
      const win = {
        on: (name: string, fn: () => void) => listeners.set(name, fn),
        getNormalBounds: () => ({ x: 10.4, y: 20, width: 900, height: 700 }),
        isMaximized: () => maximized,
        isDestroyed: () => false,
      };
      const writes: string[] = [];
      trackWindowState(win as never, (t) => writes.push(t), 500);
      listeners.get('move')?.();
      listeners.get('resize')?.();
      expect(writes).toHaveLength(0);
      vi.advanceTimersByTime(500);
      expect(writes).toHaveLength(1);
      maximized = true;
      listeners.get('maximize')?.();
      listeners.get('close')?.();
      expect(parseWindowState(writes.at(-1))).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: true });
      vi.advanceTimersByTime(1000);
      expect(writes).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
