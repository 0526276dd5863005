import { describe, expect, test } from 'vitest';
import { errorCodes } from '../../electron/contract/errors';
import { de } from '../../renderer/src/i18n/de';
import { en } from '../../renderer/src/i18n/en';

describe('error messages', () => {
  test('every stable error code has a German and an English sentence', () => {
    const missing = errorCodes.filter((code) => !(code in de.errors) || !(code in en.errors));
    expect(missing).toEqual([]);
  });
  test('German and English cover the same keys', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(en).sort()).toEqual(keys(de).sort());
  });
});
