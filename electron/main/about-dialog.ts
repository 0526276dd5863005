import type { MenuLanguage } from './app-menu';

/** One component shipped with the app and its licence (written at build time: scripts/build-electron.mjs). */
export interface ShippedLicence {
  name: string;
  version: string;
  license: string;
}

export interface AboutFacts {
  appVersion: string;
  /** process.versions: electron, chrome, node. */
  versions: Partial<Record<'electron' | 'chrome' | 'node', string>>;
  licences: readonly ShippedLicence[];
}

/**
 * "Über Ratsdesk": the version of the app and its runtime, and the licences of what it ships. Chromium's
 * own notices are in LICENSES.chromium.html next to the program (Electron puts it there).
 */
export function aboutDialogContent(
  language: MenuLanguage,
  facts: AboutFacts,
): { title: string; message: string; detail: string } {
  const de = language === 'de';
  const runtime = [
    facts.versions.electron && `Electron ${facts.versions.electron}`,
    facts.versions.chrome && `Chromium ${facts.versions.chrome}`,
    facts.versions.node && `Node.js ${facts.versions.node}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const licences = [...facts.licences]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((l) => `${l.name} ${l.version} — ${l.license}`);
  return {
    title: de ? 'Über Ratsdesk' : 'About Ratsdesk',
    message: `Ratsdesk ${facts.appVersion}`,
    detail: [
      runtime,
      '',
      de ? 'Enthaltene Software und ihre Lizenzen:' : 'Included software and its licences:',
      ...licences,
      '',
      de
        ? 'Die Lizenzen von Chromium stehen in LICENSES.chromium.html im Programmordner.'
        : "Chromium's licences are in LICENSES.chromium.html in the program folder.",
    ].join('\n'),
  };
}

/** Reads the build's licence list; an unreadable one leaves the list empty (the dialog still shows the version). */
export function parseLicences(json: string): ShippedLicence[] {
  try {
    const data: unknown = JSON.parse(json);
    if (!Array.isArray(data)) return [];
    return data
      .filter(
        (d): d is ShippedLicence =>
          typeof d === 'object' &&
          d !== null &&
          typeof (d as ShippedLicence).name === 'string' &&
          typeof (d as ShippedLicence).version === 'string' &&
          typeof (d as ShippedLicence).license === 'string',
      )
      .map((d) => ({ name: d.name, version: d.version, license: d.license }));
  } catch {
    return [];
  }
}
