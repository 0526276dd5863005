import { describe, expect, test, vi } from 'vitest';
import { policyKeys } from '../../electron/contract/policy';
import { protectWindowsFromCapture } from '../../electron/main/capture-protection';
import { badgePlan, createUnreadBadge, unreadDotBitmap } from '../../electron/main/unread-badge';

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
