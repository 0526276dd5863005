import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RatsdeskError } from '../../electron/contract/errors';
import { formatModifiedSince, verifyFileBytes, withModifiedSince } from '../../electron/services/ris/oparl-client';
import { oparlTypeName, parseOparlObject } from '../../electron/services/ris/oparl-schemas';
import { ftsQuery } from '../../electron/services/ris/ris-query-repository';
import { escapeControlCharsInStrings, parseTolerantJson } from '../../electron/services/ris/tolerant-json';

const FIXTURES = process.env.RATSDESK_OPARL_FIXTURES ?? resolve(__dirname, '../../../shared/fixtures/oparl');
const fixture = (...p: string[]) => JSON.parse(readFileSync(join(FIXTURES, ...p), 'utf8')) as unknown;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof RatsdeskError ? err.code : String(err);
  }
  return 'no error';
}

describe('tolerant JSON', () => {
  test('escapes raw control characters inside strings only', () => {
    const raw = '{"name": "Zeile 1\nZeile 2\tTab\u0001",\n\t"n": 1}';
    expect(() => JSON.parse(raw)).toThrow();
    expect(JSON.parse(escapeControlCharsInStrings(raw))).toEqual({ name: 'Zeile 1\nZeile 2\tTab\u0001', n: 1 });
    expect(parseTolerantJson(Buffer.from(raw), 'x')).toEqual({ name: 'Zeile 1\nZeile 2\tTab\u0001', n: 1 });
  });

  test('keeps escaped quotes and backslashes intact', () => {
    const raw = '{"a": "say \\"hi\\"\n", "b": "c:\\\\dir"}';
    expect(parseTolerantJson(raw, 'x')).toEqual({ a: 'say "hi"\n', b: 'c:\\dir' });
  });

  test('a byte-order mark is ignored; broken JSON is RIS_INVALID_JSON', () => {
    expect(parseTolerantJson('\uFEFF{"a":1}', 'x')).toEqual({ a: 1 });
    expect(codeOf(() => parseTolerantJson('{"data":[{"id":', 'x'))).toBe('RIS_INVALID_JSON');
  });
});

describe('OParl schemas', () => {
  test.each(['1.0', '1.1'])('every OParl %s spec example validates as its type', (version) => {
    for (const name of ['System', 'Body', 'Meeting', 'Paper', 'Person', 'Organization', 'File']) {
      const raw = fixture('spec', version, 'examples', `${name}-01.json`);
      expect(() => parseOparlObject(name as 'Paper', raw), `${version} ${name}`).not.toThrow();
    }
  });

  test('the 1.0 Body example with its "id:" typo in the embedded location still validates (location dropped)', () => {
    const body = parseOparlObject('Body', fixture('spec', '1.0', 'examples', 'Body-01.json'));
    expect(body.location).toBeUndefined();
    expect(body.legislativeTerm).toHaveLength(1);
  });

  test('type names of 1.0 and 1.1; a wrong type is RIS_WRONG_TYPE', () => {
    expect(oparlTypeName('https://schema.oparl.org/1.0/Paper')).toBe('Paper');
    expect(oparlTypeName('https://schema.oparl.org/1.1/AgendaItem')).toBe('AgendaItem');
    expect(oparlTypeName('https://example.org/Paper')).toBeNull();
    const meeting = fixture('spec', '1.1', 'examples', 'Meeting-01.json');
    expect(codeOf(() => parseOparlObject('Paper', meeting))).toBe('RIS_WRONG_TYPE');
    expect(codeOf(() => parseOparlObject('Paper', { type: 'https://schema.oparl.org/1.1/Paper' }))).toBe(
      'RIS_INVALID_OBJECT',
    );
    expect(codeOf(() => parseOparlObject('Paper', [1, 2]))).toBe('RIS_INVALID_OBJECT');
  });

  test('"N/A", blanks and nulls are absent; single auxiliaryFile becomes a list; mimeType "pdf"; size 0', () => {
    const paper = parseOparlObject('Paper', {
      id: 'https://ris.example/paper/1',
      type: 'https://schema.oparl.org/1.0/Paper',
      name: '  Betreff  ',
      reference: 'N/A',
      paperType: '',
      date: null,
      auxiliaryFile: {
        id: 'https://ris.example/file/2',
        mimeType: 'pdf',
        size: 0,
        downloadUrl: '',
        accessUrl: 'https://ris.example/file/2.pdf',
        sha1Checksum: 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709',
      },
      consultation: ['https://ris.example/consultation/3', { id: 'not a url' }],
    });
    expect(paper.name).toBe('Betreff');
    expect(paper.reference).toBeUndefined();
    expect(paper.paperType).toBeUndefined();
    expect(paper.date).toBeUndefined();
    expect(paper.auxiliaryFile).toHaveLength(1);
    const file = paper.auxiliaryFile[0];
    if (typeof file !== 'object') throw new Error('embedded file expected');
    expect(file).toMatchObject({
      mimeType: 'application/pdf',
      sha1Checksum: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    });
    expect(file.size).toBeUndefined();
    expect(file.downloadUrl).toBeUndefined();
    // The invalid embedded consultation is dropped, the reference kept.
    expect(paper.consultation).toEqual(['https://ris.example/consultation/3']);
  });

  test('a deleted stub without type is accepted', () => {
    const stub = parseOparlObject('Meeting', { id: 'https://ris.example/meeting/9', deleted: true });
    expect(stub.deleted).toBe(true);
  });
});

describe('modified_since and file checks', () => {
  test('modified_since is UTC, whole seconds, appended unencoded', () => {
    const d = new Date('2025-03-04T05:06:07.890Z');
    expect(formatModifiedSince(d)).toBe('2025-03-04T05:06:07Z');
    expect(withModifiedSince('https://ris.example/papers', d)).toBe(
      'https://ris.example/papers?modified_since=2025-03-04T05:06:07Z',
    );
    expect(withModifiedSince('https://ris.example/papers.asp?body=1', d)).toBe(
      'https://ris.example/papers.asp?body=1&modified_since=2025-03-04T05:06:07Z',
    );
  });

  test('file bytes: sha-1 mismatch, truncation, not a PDF', () => {
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const base = { id: 'https://ris.example/file/1', mimeType: 'application/pdf' };
    expect(
      codeOf(() => verifyFileBytes({ ...base, sha1Checksum: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }, pdf)),
    ).toBe('DOCUMENT_CHECKSUM_MISMATCH');
    expect(codeOf(() => verifyFileBytes({ ...base, size: 1000 }, pdf))).toBe('DOCUMENT_TRUNCATED');
    expect(codeOf(() => verifyFileBytes(base, Buffer.from('<html>Login</html>')))).toBe('RIS_NOT_PDF');
    expect(codeOf(() => verifyFileBytes(base, pdf))).toBe('no error');
  });
});

describe('search query', () => {
  test('free text becomes quoted prefix terms; operators cannot be injected', () => {
    expect(ftsQuery('Bebauungsplan Mühlenbach')).toBe('"Bebauungsplan"* "Mühlenbach"*');
    expect(ftsQuery('VO/2025/0042')).toBe('"VO"* "2025"* "0042"*');
    expect(ftsQuery('a" OR b NEAR(')).toBe('"a"* "OR"* "b"* "NEAR"*');
    expect(ftsQuery(' ;-- ')).toBeNull();
  });
});
