import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { errorCodes } from '../../electron/contract/errors';
import { smimeStatusCodes } from '../../electron/contract/smime-status';
import { de as sharedDe } from '../../renderer/src/i18n/de';
import type { FeatureMessages } from '../../renderer/src/i18n/messages';
import { resources } from '../../renderer/src/i18n/resources';

// The renderer's strings against the renderer's code: a key the code asks for exists in German and
// English, and every key is used, defined once. Keys are found in the code as string literals
// ('mail.notice.flagged') or as a template's fixed part (`mail.help.${action}`: any direct child of
// mail.help counts as used).

type Tree = Record<string, unknown>;
const srcDir = join(import.meta.dirname, '../../renderer/src');

function leafKeys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object' ? leafKeys(v as Tree, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** i18next plural forms: `count_one` and `count_other` are asked for as `count`. */
const withoutPlural = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

const isMessageFile = (file: string) => /[/\\]i18n[/\\]|[/\\]messages\.ts$/.test(file);
const code = sourceFiles(srcDir)
  .filter((f) => !isMessageFile(f))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const namespaces = new Set(Object.keys(resources.de));
/** Dotted string literals in the code that start with a namespace of the strings ('mail.', 'errors.' …). */
const asked = new Set(
  [...code.matchAll(/['"]([A-Za-z]\w*(?:\.\w+)+)['"]/g)]
    .map((m) => m[1]!)
    .filter((k) => namespaces.has(k.split('.')[0]!)),
);
/** Fixed parts of template keys: `ris.paper.${status}` → 'ris.paper.'. */
const askedPrefixes = [...new Set([...code.matchAll(/`([A-Za-z]\w*(?:\.\w+)*\.)\$\{/g)].map((m) => m[1]!))];

/**
 * Families of strings keyed by a code set of the contract: each must hold exactly the contract's codes. The
 * code asks for them through a template (`errors.${code}`); smime.status is staged for the S/MIME status
 * line of the reading pane (#17) and counts as used already.
 */
const CODE_FAMILIES: Record<string, readonly string[]> = {
  'errors.': [...errorCodes, 'UNKNOWN'],
  'smime.status.': smimeStatusCodes,
};

/**
 * Strings written ahead of the view that will show them (the feature's services landed first). They count
 * as used until then; the view that asks for them takes its entry out of this list (a test below says so).
 */
const STAGED: Record<string, string> = {};

function keysOf(language: 'de' | 'en'): Set<string> {
  return new Set(leafKeys(resources[language] as Tree).map(withoutPlural));
}

describe('UI string keys', () => {
  test('the code finds its keys: the scan sees literals and template prefixes', () => {
    // Guards the scan itself: if these disappear, the regexes stopped matching the code.
    expect(asked.has('mail.notice.flagged')).toBe(true);
    expect(askedPrefixes).toEqual(expect.arrayContaining(['errors.', 'folders.', 'mail.help.']));
  });

  test('every key the code asks for exists in German and in English', () => {
    for (const language of ['de', 'en'] as const) {
      const keys = keysOf(language);
      const missing = [...asked].filter((k) => !keys.has(k));
      expect(missing, language).toEqual([]);
      const emptyPrefixes = askedPrefixes.filter((p) => ![...keys].some((k) => k.startsWith(p)));
      expect(emptyPrefixes, language).toEqual([]);
    }
  });

  test('every key is used by the code', () => {
    const usedByTemplate = (key: string) =>
      askedPrefixes.some((p) => key.startsWith(p) && !key.slice(p.length).includes('.'));
    const inCodeFamily = (key: string) =>
      Object.entries(CODE_FAMILIES).some(([prefix, codes]) => codes.some((code) => key === `${prefix}${code}`));
    const staged = (key: string) => Object.keys(STAGED).some((prefix) => key.startsWith(prefix));
    const unused = [...keysOf('de')].filter(
      (k) => !asked.has(k) && !usedByTemplate(k) && !inCodeFamily(k) && !staged(k),
    );
    expect(unused).toEqual([]);
  });

  test('a staged family is still waiting for its view (else its entry leaves STAGED)', () => {
    for (const prefix of Object.keys(STAGED)) {
      const keys = [...keysOf('de')].filter((k) => k.startsWith(prefix));
      expect(keys.length, prefix).toBeGreaterThan(0);
      expect(
        keys.filter((k) => asked.has(k)),
        prefix,
      ).toEqual([]);
      expect(
        askedPrefixes.filter((p) => p.startsWith(prefix) || prefix.startsWith(p)),
        prefix,
      ).toEqual([]);
    }
  });

  test('a family keyed by contract codes holds exactly those codes (errors: plus UNKNOWN)', () => {
    for (const language of ['de', 'en'] as const) {
      const keys = leafKeys(resources[language] as Tree);
      for (const [prefix, codes] of Object.entries(CODE_FAMILIES)) {
        const family = keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
        expect(family.sort(), `${language} ${prefix}`).toEqual([...codes].sort());
      }
    }
  });

  test('each key is defined once: in the shared strings or in one feature', async () => {
    const featuresDir = join(srcDir, 'features');
    const sources: Record<string, FeatureMessages> = { 'i18n/de.ts + en.ts': { de: sharedDe, en: resources.en } };
    for (const feature of readdirSync(featuresDir)) {
      const file = join(featuresDir, feature, 'messages.ts');
      if (!sourceFiles(join(featuresDir, feature)).includes(file)) continue;
      const mod = (await import(file)) as { messages: FeatureMessages };
      sources[relative(srcDir, file)] = mod.messages;
    }
    const definedIn = new Map<string, string[]>();
    for (const [where, messages] of Object.entries(sources)) {
      for (const key of leafKeys(messages.de)) definedIn.set(key, [...(definedIn.get(key) ?? []), where]);
    }
    const twice = [...definedIn]
      .filter(([, where]) => where.length > 1)
      .map(([key, where]) => `${key}: ${where.join(', ')}`);
    expect(twice).toEqual([]);
  });
});
