import type { PolicyValues } from '../../contract/policy';

/** How this copy of Ratsdesk was installed; decides whether it may update itself. */
export type InstallType = 'nsis' | 'msi' | 'mac' | 'appimage' | 'deb' | 'unpackaged' | 'unknown';

export interface UpdateDecision {
  enabled: boolean;
  channel: 'stable' | 'beta';
  /** The generic-provider base URL electron-updater's setFeedURL gets (https only), when enabled. */
  url: string | null;
  /** electron-updater's channel name: it fetches `<channel>.yml` (latest.yml, beta.yml) from the URL. */
  updaterChannel: 'latest' | 'beta';
  reason:
    | 'enabled'
    | 'policy-off'
    | 'msi-managed-by-it'
    | 'no-update-url'
    | 'unpackaged'
    | 'unsupported-install'
    | 'no-update-signing-key';
  /** Linux: the downloaded update installs only after its detached signature verified (update-signature.ts). */
  signatureRequired: boolean;
}

/**
 * Decides whether electron-updater runs, on which channel and from which URL. MSI installs never
 * update themselves (IT ships new MSIs); neither do unpackaged dev runs or unknown installs.
 * electron-updater verifies the code signature (Windows) / the signed app (macOS) of what it downloads;
 * Linux (.deb, AppImage) updates only with a public update-signing key built into the app, and each
 * download must carry a detached signature that verifies against it.
 */
export function decideUpdates(
  policy: Pick<PolicyValues, 'autoUpdateEnabled' | 'updateChannel' | 'updateUrl'>,
  install: InstallType,
  build: { hasUpdateSigningKey: boolean },
): UpdateDecision {
  const channel = policy.updateChannel;
  const updaterChannel = channel === 'beta' ? 'beta' : 'latest';
  // Linux packages carry no OS code signature electron-updater could check: only our own detached one.
  const signatureRequired = install === 'appimage' || install === 'deb';
  const off = (reason: UpdateDecision['reason']): UpdateDecision => ({
    enabled: false,
    channel,
    updaterChannel,
    url: null,
    reason,
    signatureRequired,
  });
  if (install === 'unpackaged') return off('unpackaged');
  if (install === 'msi') return off('msi-managed-by-it');
  if (install === 'unknown') return off('unsupported-install');
  if (!policy.autoUpdateEnabled) return off('policy-off');
  if (!policy.updateUrl) return off('no-update-url');
  if (signatureRequired && !build.hasUpdateSigningKey) return off('no-update-signing-key');
  const url = new URL(policy.updateUrl);
  if (url.protocol !== 'https:') return off('no-update-url');
  const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
  return { enabled: true, channel, updaterChannel, url: base, reason: 'enabled', signatureRequired };
}

export interface InstallProbe {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  env: Record<string, string | undefined>;
  /** Names of the files next to the executable (Windows: NSIS puts its uninstaller there, MSI does not). */
  filesNextToExe: readonly string[];
}

/** Tells NSIS from MSI installs and recognises AppImage and deb, from facts main can gather. */
export function detectInstallType(probe: InstallProbe): InstallType {
  if (!probe.isPackaged) return 'unpackaged';
  if (probe.platform === 'darwin') return 'mac';
  if (probe.platform === 'win32') {
    return probe.filesNextToExe.some((f) => /^Uninstall .*\.exe$/i.test(f)) ? 'nsis' : 'msi';
  }
  if (probe.platform === 'linux') return probe.env.APPIMAGE ? 'appimage' : 'deb';
  return 'unknown';
}
