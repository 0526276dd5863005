import type { App, BrowserWindow, NativeImage } from 'electron';
import type { MenuLanguage } from './app-menu';

/** Badges stop counting here: the icon shows "99+"-like caps anyway and nothing needs more. */
const MAX_COUNT = 9999;

export interface BadgePlan {
  /** app.setBadgeCount (macOS dock, Linux launchers that support it); 0 removes it. */
  badgeCount?: number;
  /** Windows taskbar overlay: shown with this accessible description, or removed (null). */
  overlay?: { description: string } | null;
}

/**
 * What the app icon shows for `count` unread inbox messages: a number on macOS and Linux, a dot overlay
 * with an accessible description on Windows (the taskbar has no numbers). With the policy's unreadBadge
 * off, nothing — and whatever was shown is removed.
 */
export function badgePlan(
  count: number,
  host: { platform: NodeJS.Platform; enabled: boolean; language: MenuLanguage },
): BadgePlan {
  const n = Number.isInteger(count) && count > 0 ? Math.min(count, MAX_COUNT) : 0;
  const shown = host.enabled ? n : 0;
  if (host.platform === 'win32') {
    if (shown === 0) return { overlay: null };
    const description =
      host.language === 'en'
        ? `${shown} unread ${shown === 1 ? 'message' : 'messages'}`
        : `${shown} ungelesene ${shown === 1 ? 'Nachricht' : 'Nachrichten'}`;
    return { overlay: { description } };
  }
  return { badgeCount: shown };
}

/** A 16×16 red dot (BGRA) for the Windows overlay: drawn here, so no icon file has to ship for it. */
export function unreadDotBitmap(size = 16): Buffer {
  const bitmap = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  const r = size / 2 - 0.5;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x - c) ** 2 + (y - c) ** 2 > r * r) continue;
      const i = (y * size + x) * 4;
      bitmap[i] = 0x26; // B
      bitmap[i + 1] = 0x26; // G
      bitmap[i + 2] = 0xc6; // R
      bitmap[i + 3] = 0xff; // A
    }
  }
  return bitmap;
}

export interface BadgeElectron {
  app: Pick<App, 'setBadgeCount'>;
  createOverlay(): NativeImage;
}

/** Applies a plan to the app icon; the overlay image is made once. */
export function createUnreadBadge(
  electron: BadgeElectron,
  window: () => Pick<BrowserWindow, 'setOverlayIcon'> | undefined,
) {
  let overlayImage: NativeImage | undefined;
  return function apply(plan: BadgePlan): void {
    if (plan.badgeCount !== undefined) electron.app.setBadgeCount(plan.badgeCount);
    if (plan.overlay !== undefined) {
      const win = window();
      if (!win) return;
      if (plan.overlay === null) win.setOverlayIcon(null, '');
      else win.setOverlayIcon((overlayImage ??= electron.createOverlay()), plan.overlay.description);
    }
  };
}
