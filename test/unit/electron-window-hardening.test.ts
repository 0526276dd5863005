import { describe, expect, test } from 'vitest';
import { mainWindowOptions } from '../../electron/main/window-options';
import { RIS_PARTITION, risWindowOptions } from '../../electron/main/ris-web-view';

// The main window and the RIS window each spell out their webPreferences (Electronegativity reads the
// literal options, so they cannot come from one shared object). This test keeps the two lists the same
// wherever they must be: a hardening added to one window alone fails here.

/** Where the two windows differ on purpose. */
const ONLY_MAIN = ['preload', 'spellcheck'] as const; // the app's contract bridge; spell check in compose
const ONLY_RIS = ['partition'] as const; // its own in-memory session

function without(prefs: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(prefs).filter(([k]) => !keys.includes(k)));
}

describe('hardened webPreferences of the main and the RIS window', () => {
  const main = mainWindowOptions('/app/preload.cjs').webPreferences ?? {};
  const ris = risWindowOptions().webPreferences ?? {};

  test('are identical apart from the named differences', () => {
    expect(without(ris, ONLY_RIS)).toEqual(without(main, ONLY_MAIN));
  });

  test('the named differences are what they claim to be', () => {
    expect(Object.keys(main)).toEqual(expect.arrayContaining([...ONLY_MAIN]));
    expect(Object.keys(ris)).toEqual(expect.arrayContaining([...ONLY_RIS]));
    for (const key of ONLY_MAIN) expect(ris, key).not.toHaveProperty(key);
    for (const key of ONLY_RIS) expect(main, key).not.toHaveProperty(key);
    expect(main.preload).toBe('/app/preload.cjs');
    expect(ris.partition).toBe(RIS_PARTITION);
  });
});
