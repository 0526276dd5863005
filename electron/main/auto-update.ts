import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PolicyValues } from '../contract/policy';
import { decideUpdates, detectInstallType, type UpdateDecision } from '../services/policy/update-policy';

/** The part of electron-updater's AppUpdater this glue uses (stubbed in unit tests: Electron cannot run there). */
export interface Updater {
  setFeedURL(options: { provider: 'generic'; url: string; channel: string }): void;
  channel: string | null;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export interface UpdateHost {
  isPackaged: boolean;
  exePath: string;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
}

function filesNextTo(exePath: string): string[] {
  try {
    return readdirSync(dirname(exePath));
  } catch {
    return [];
  }
}

/**
 * Applies the policy's update keys (autoUpdateEnabled, updateChannel, updateUrl) to electron-updater: from
 * IT's own HTTPS server only (generic provider; the downloaded installer's signature is checked by
 * electron-updater), never on MSI installs (IT ships those), never a downgrade. Returns the decision for the
 * diagnostics.
 */
export function startAutoUpdate(
  policy: Pick<PolicyValues, 'autoUpdateEnabled' | 'updateChannel' | 'updateUrl'>,
  host: UpdateHost,
  updater: () => Updater,
): UpdateDecision {
  const install = detectInstallType({
    platform: host.platform,
    isPackaged: host.isPackaged,
    env: host.env,
    filesNextToExe: host.isPackaged && host.platform === 'win32' ? filesNextTo(host.exePath) : [],
  });
  const decision = decideUpdates(policy, install);
  if (!decision.enabled || !decision.url) return decision;
  const u = updater();
  u.setFeedURL({ provider: 'generic', url: decision.url, channel: decision.updaterChannel });
  u.channel = decision.updaterChannel;
  u.allowPrerelease = decision.channel === 'beta';
  u.allowDowngrade = false;
  u.autoDownload = true;
  u.autoInstallOnAppQuit = true;
  // A failed check (offline, server down) is retried at the next start; it never bothers the person.
  void u.checkForUpdatesAndNotify().catch(() => undefined);
  return decision;
}
