import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PolicyValues } from '../contract/policy';
import { decideUpdates, detectInstallType, type UpdateDecision } from '../services/policy/update-policy';
import {
  SIGNATURE_BYTES,
  updatePublicKey,
  verifyDownloadedUpdate,
  type UpdateVerdict,
} from '../services/update/update-signature';
import { UPDATE_SIGNING_PUBLIC_KEY } from './update-signing-key';

/** What electron-updater tells about a finished download (its UpdateDownloadedEvent, the fields used here). */
export interface DownloadedUpdateInfo {
  downloadedFile: string;
  files: ReadonlyArray<{ url: string; sha512: string }>;
}

/** The part of electron-updater's AppUpdater this glue uses (stubbed in unit tests: Electron cannot run there). */
export interface Updater {
  setFeedURL(options: { provider: 'generic'; url: string; channel: string }): void;
  channel: string | null;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdatesAndNotify(): Promise<unknown>;
  on(event: 'update-downloaded', listener: (info: DownloadedUpdateInfo) => void): unknown;
  /** BaseUpdater's (AppImage, deb): installs the downloaded update now. */
  install?(isSilent?: boolean, isForceRunAfter?: boolean): boolean;
}

export interface UpdateHost {
  isPackaged: boolean;
  exePath: string;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** Calls `listener` once when the app quits normally (exit code 0). */
  onQuit(listener: () => void): void;
  /** Fetches a small file over https (Electron's net.fetch: the same trust as the updater). */
  fetch(url: string): Promise<{ ok: boolean; arrayBuffer(): Promise<ArrayBuffer> }>;
  /** Told when a Linux update was refused (for the log). */
  onRefused?(verdict: UpdateVerdict): void;
}

function filesNextTo(exePath: string): string[] {
  try {
    return readdirSync(dirname(exePath));
  } catch {
    return [];
  }
}

async function fetchSignature(host: UpdateHost, url: string): Promise<Uint8Array> {
  const res = await host.fetch(url);
  if (!res.ok) throw new Error('signature not found');
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.byteLength !== SIGNATURE_BYTES) throw new Error('not a signature');
  return bytes;
}

/**
 * Applies the policy's update keys (autoUpdateEnabled, updateChannel, updateUrl — machine policy only) to
 * electron-updater: from IT's own HTTPS server only (generic provider; the downloaded installer's signature
 * is checked by electron-updater on Windows and macOS), never on MSI installs (IT ships those), never a
 * downgrade. On Linux electron-updater never installs by itself: a download installs at the next quit only
 * after its detached signature verified against the key built into the app. Returns the decision.
 */
export function startAutoUpdate(
  policy: Pick<PolicyValues, 'autoUpdateEnabled' | 'updateChannel' | 'updateUrl'>,
  host: UpdateHost,
  updater: () => Updater,
  publicKeyPem: string = UPDATE_SIGNING_PUBLIC_KEY,
): UpdateDecision {
  const install = detectInstallType({
    platform: host.platform,
    isPackaged: host.isPackaged,
    env: host.env,
    filesNextToExe: host.isPackaged && host.platform === 'win32' ? filesNextTo(host.exePath) : [],
  });
  const decision = decideUpdates(policy, install, { hasUpdateSigningKey: updatePublicKey(publicKeyPem) !== undefined });
  if (!decision.enabled || !decision.url) return decision;
  const feedUrl = decision.url;
  const u = updater();
  u.setFeedURL({ provider: 'generic', url: feedUrl, channel: decision.updaterChannel });
  u.channel = decision.updaterChannel;
  u.allowPrerelease = decision.channel === 'beta';
  u.allowDowngrade = false;
  u.autoDownload = true;
  u.autoInstallOnAppQuit = !decision.signatureRequired;
  if (decision.signatureRequired) {
    u.on('update-downloaded', (info) => {
      void verifyDownloadedUpdate({ file: info.downloadedFile, files: info.files, feedUrl }, publicKeyPem, (url) =>
        fetchSignature(host, url),
      ).then(
        (verdict) => {
          if (verdict.ok) host.onQuit(() => u.install?.(true, false));
          else host.onRefused?.(verdict);
        },
        () => host.onRefused?.({ ok: false, reason: 'signature-unavailable' }),
      );
    });
  }
  // A failed check (offline, server down) is retried at the next start; it never bothers the person.
  void u.checkForUpdatesAndNotify().catch(() => undefined);
  return decision;
}
