import { describe, expect, it } from 'vitest';
import { ReaderAttachmentSchema } from '../../electron/contract/mail-reader';
import { DocumentMetaSchema } from '../../electron/contract/documents';
import { RisFileSchema } from '../../electron/contract/ris';
import { MAX_FILE_NAME_BYTES, safeFileName } from '../../electron/contract/file-name';
import { exportFileName } from '../../electron/services/documents/document-export';
import { sanitizeFilename } from '../../electron/services/mail/message-parser';

// Issue #10 item 11 and issue #19 item 6: one sanitizer for every name that reaches the disk or the screen.
const bytes = (s: string): number => new TextEncoder().encode(s).length;

// Every bidi override/embedding/isolate, the marks, and other format characters (Cf) and controls.
const INVISIBLE = [
  ...'\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F',
  '\u200B', // zero width space
  '\u200D', // zero width joiner
  '\u2060', // word joiner
  '\uFEFF', // byte order mark
  '\u00AD', // soft hyphen
  '\u061C', // Arabic letter mark
  '\u0000',
  '\u001B',
  '\u0085',
  '\u2028',
];

describe('file names of exported, saved and RIS documents and of mail attachments', () => {
  it('strip the bidi override that makes "Vorlage\\u202Efdp.exe" look like a PDF', () => {
    expect(exportFileName('Vorlage\u202Efdp.exe')).toBe('Vorlagefdp.exe');
    expect(sanitizeFilename('Vorlage\u202Efdp.exe')).toBe('Vorlagefdp.exe');
    for (const ch of INVISIBLE) {
      expect(exportFileName(`Vor${ch}lage.pdf`), `U+${ch.codePointAt(0)?.toString(16)}`).toBe('Vorlage.pdf');
      expect(sanitizeFilename(`Vor${ch}lage.pdf`), `U+${ch.codePointAt(0)?.toString(16)}`).toBe('Vorlage.pdf');
    }
  });

  it('strip them from names before they reach the screen (the contract output schemas)', () => {
    const attachment = ReaderAttachmentSchema.parse({
      partId: '2',
      filename: 'Rechnung\u202Efdp.exe',
      mimeType: 'application/octet-stream',
      size: 1,
      contentId: null,
    });
    expect(attachment.filename).toBe('Rechnungfdp.exe');
    const file = RisFileSchema.parse({
      id: 'https://ris.stadt.example/oparl/file/1',
      role: 'mainFile',
      name: 'Anlage\u2067 1\u2069',
      fileName: 'Vorlage\u202Efdp.exe',
      mimeType: null,
      size: null,
      documentId: null,
    });
    expect([file.name, file.fileName]).toEqual(['Anlage 1', 'Vorlagefdp.exe']);
    const meta = DocumentMetaSchema.parse({
      id: '00000000-0000-4000-8000-000000000000',
      name: 'Beschluss\u200F\u202D.docm',
      mimeType: 'application/pdf',
      size: 1,
      sha512: 'a'.repeat(128),
      source: { kind: 'url', ref: 'https://ris.stadt.example/f/1' },
      fetchedAt: '2026-01-01T00:00:00.000Z',
      lastOpenedAt: null,
      pinned: false,
      pinnedUntil: null,
    });
    expect(meta.name).toBe('Beschluss.docm');
  });

  it('are at most 255 UTF-8 bytes, cut on a character boundary, keeping the extension', () => {
    const umlauts = `${'Ä'.repeat(200)}.pdf`; // 404 bytes in 204 characters
    for (const name of [exportFileName(umlauts), sanitizeFilename(umlauts)]) {
      expect(bytes(name)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
      expect(name).toBe(`${'Ä'.repeat(125)}.pdf`);
    }
    const emoji = `${'😀'.repeat(100)}.docx`;
    const cut = exportFileName(emoji);
    expect(bytes(cut)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(cut).toMatch(/^(?:😀)+\.docx$/u);
    // An "extension" that is really a long tail is not kept whole.
    expect(bytes(exportFileName(`a.${'b'.repeat(400)}`))).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
  });

  it('never are a path, a Windows device name or empty', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('../../etc/passwd', { paths: 'last-segment' })).toBe('passwd');
    expect(safeFileName('CON.pdf')).toBe('_CON.pdf');
    expect(safeFileName('nul')).toBe('_nul');
    expect(safeFileName('a<b>c:d"e|f?g*h')).toBe('a_b_c_d_e_f_g_h');
    expect(safeFileName(' . \u202E . ')).toBe('document');
    expect(safeFileName('\uD800x.pdf')).toBe('x.pdf');
  });
});
