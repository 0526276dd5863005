import { describe, expect, test } from 'vitest';
import { mainWindowOptions } from '../../electron/main/window-options';
import { RIS_PARTITION, risWindowOptions } from '../../electron/main/ris-web-view';

// The main window and the RIS window each spell out their webPreferences (Electronegativity reads the
// literal options, so they cannot come from one shared object). This test keeps the two lists the same
// wherever they must be: a hardening added to one window alone fails here. What the hardening is, is
// tested per window (electron-glue.test.ts, electron-ris-web-view.test.ts) and scanned by Electronegativity.

/** Where the two windows differ on purpose. */
const ONLY_MAIN = ['preload'] as const; // the app's contract bridge
const ONLY_RIS = ['partition'] as const; // its own in-memory session
const DIFFERENT = {
  // Spell checking while composing; in its own session the RIS window would fetch dictionaries from a CDN.
  spellcheck: { main: true, ris: false },
} as const;

function without(prefs: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(prefs).filter(([k]) => !keys.includes(k)));
}

describe('hardened webPreferences of the main and the RIS window', () => {
  // As packaged (what people run): no developer tools in either window.
  const main = mainWindowOptions('/app/preload.cjs', { packaged: true }).webPreferences ?? {};
  const ris = risWindowOptions().webPreferences ?? {};
  const different = Object.keys(DIFFERENT);

  test('are identical apart from the named differences', () => {
    expect(without(ris, [...ONLY_RIS, ...different])).toEqual(without(main, [...ONLY_MAIN, ...different]));
  });

  test('the named differences are what they claim to be', () => {
    for (const key of ONLY_MAIN) expect(ris, key).not.toHaveProperty(key);
    for (const key of ONLY_RIS) expect(main, key).not.toHaveProperty(key);
    expect(main.preload).toBe('/app/preload.cjs');
    expect(ris.partition).toBe(RIS_PARTITION);
    for (const [key, values] of Object.entries(DIFFERENT)) {
      expect(main, key).toHaveProperty(key, values.main);
      expect(ris, key).toHaveProperty(key, values.ris);
    }
  });
});
