import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { startSignedIn } from '../support/e2e-account';
import { until } from '../support/wait-until';

const USER = { user: 'emil', pass: 'Rathaus-Start-2026!' };

/**
 * What the renderer loads at start (#15 target 4, `npm run bench -- startup`): pdf.js, over a third of its
 * script, is loaded when the Documents area (or a PDF) first needs it, not before the inbox.
 */
describe('the renderer start in Chromium', () => {
  let dovecot: DovecotServer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
    dovecot.seed(USER.user, [{ subject: 'Einladung zur Ratssitzung' }]);
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  test('the inbox shows without pdf.js; the Documents area loads it', async () => {
    const scripts: string[] = [];
    const host = await startSignedIn(dovecot, USER, {
      beforeOpen: async (h) =>
        h.page.on('request', (r) => {
          if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
        }),
    });
    try {
      const list = host.page.getByRole('listbox', { name: 'Nachrichten' });
      await list.getByRole('option').filter({ hasText: 'Einladung zur Ratssitzung' }).waitFor();
      expect(scripts.some((p) => /\/assets\/index-[\w-]+\.js$/.test(p))).toBe(true);
      expect(scripts.filter((p) => /\/assets\/pdf-[\w-]+\.js$/.test(p))).toEqual([]);

      await host.page.getByRole('button', { name: 'Dokumente' }).click();
      await until('pdf.js loaded by the Documents area', () =>
        scripts.some((p) => /\/assets\/pdf-[\w-]+\.js$/.test(p)),
      );
    } finally {
      await host.close();
    }
  });
});
