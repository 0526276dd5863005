import { describe, expect, test } from 'vitest';
import { errorCodes } from '../../electron/contract/errors';
import { resources } from '../../renderer/src/i18n/resources';

type Tree = Record<string, unknown>;

describe('UI strings', () => {
  test('every stable error code has a German and an English sentence', () => {
    const de = resources.de.errors as Tree;
    const en = resources.en.errors as Tree;
    const missing = errorCodes.filter((code) => typeof de[code] !== 'string' || typeof en[code] !== 'string');
    expect(missing).toEqual([]);
  });

  test('German and English cover the same keys', () => {
    const keys = (o: Tree, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v as Tree, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(resources.en).sort()).toEqual(keys(resources.de).sort());
  });
});
