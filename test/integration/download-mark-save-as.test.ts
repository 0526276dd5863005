import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, SaveDialogOptions } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { saveDocumentWithDialog } from '../../electron/main/save-document-dialog';
import type { DocumentSource } from '../../electron/services/documents/document-cache';

// Issue #10 item 8 on Linux, for real: "Speichern unter" (the main process's save path, with the native dialog
// answered by the test) writes the file and its download mark, read back with getfattr from Debian's `attr`.
// The test folder is on ext4, which keeps user.* extended attributes.
const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-save-as-'));
const BYTES = new TextEncoder().encode('%PDF-1.7 Beschlussvorlage');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function attribute(path: string, name: string): string | null {
  try {
    return execFileSync('/usr/bin/getfattr', ['--only-values', '-n', name, '--', path], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}

async function saveAs(fileName: string, source: DocumentSource): Promise<string> {
  const target = join(dir, fileName);
  const result = await saveDocumentWithDialog(
    { documentForExport: async () => ({ fileName, bytes: BYTES, source }) },
    {
      showSaveDialog: async (_w: BrowserWindow | undefined, options: SaveDialogOptions) => {
        expect(options.defaultPath).toBe(fileName);
        return { canceled: false, filePath: target };
      },
    },
    undefined,
    'doc-1',
  );
  expect(result).toEqual({ saved: true });
  expect(Buffer.from(readFileSync(target)).equals(Buffer.from(BYTES))).toBe(true);
  return target;
}

describe('"Speichern unter" marks the saved file as downloaded (Linux, real extended attributes)', () => {
  it('a council document carries user.xdg.origin.url with its source URL, without credentials or fragment', async () => {
    const path = await saveAs('Vorlage.pdf', {
      kind: 'url',
      ref: 'https://anna:geheim@ris.stadt.example/oparl/v1.1/file/4711/download?x=1#seite=2',
    });
    expect(attribute(path, 'user.xdg.origin.url')).toBe('https://ris.stadt.example/oparl/v1.1/file/4711/download?x=1');
  });

  it('a mail attachment has no URL to name and gets no made-up origin', async () => {
    const path = await saveAs('Rechnung.docm', { kind: 'message', ref: 'acc/INBOX/17/2' });
    expect(attribute(path, 'user.xdg.origin.url')).toBeNull();
  });
});

describe('a failed "Speichern unter" says why (issue #19 item 6)', () => {
  async function saveTo(target: string) {
    return saveDocumentWithDialog(
      {
        documentForExport: async () => ({
          fileName: 'Vorlage.pdf',
          bytes: BYTES,
          source: { kind: 'message', ref: 'acc/INBOX/1/2' },
        }),
      },
      { showSaveDialog: async () => ({ canceled: false, filePath: target }) },
      undefined,
      'doc-1',
    );
  }

  it('a name of 200 umlauts (400 bytes) chosen in the dialog: SAVE_NAME_TOO_LONG, nothing written', async () => {
    const name = `${'ä'.repeat(200)}.pdf`;
    expect(name.length).toBeLessThan(255);
    await expect(saveTo(join(dir, name))).rejects.toMatchObject({ code: 'SAVE_NAME_TOO_LONG' });
  });

  it('a full disk: SAVE_DISK_FULL', async () => {
    await expect(saveTo('/dev/full')).rejects.toMatchObject({ code: 'SAVE_DISK_FULL' });
  });

  it('a folder that is gone: SAVE_FAILED with the system code as its detail', async () => {
    await expect(saveTo(join(dir, 'weg', 'Vorlage.pdf'))).rejects.toMatchObject({
      code: 'SAVE_FAILED',
      detail: 'ENOENT',
    });
  });
});
