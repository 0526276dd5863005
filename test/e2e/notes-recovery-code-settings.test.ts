import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createServices, type Services } from '../../electron/services/app-services';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { until } from '../support/wait-until';
import { connectAccount, showArea, startSignedIn } from '../support/e2e-account';
import type { AppHost } from './harness/app-host';

const USER = { user: 'greta', pass: 'Zweites-Geraet-2026!' };

/**
 * Settings → Notizen in Chromium: the second device (this app) takes the notes key of the first (another app
 * instance with its own vault and keychain, on the same Dovecot) by its recovery code; a wrong code is refused
 * with a sentence.
 */
describe('notes recovery code in the settings, two devices on one Dovecot', () => {
  let dovecot: DovecotServer;
  let host: AppHost;
  let first: Services;
  let firstDir: string;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [USER] });
  });

  // Each test: a first device that already has a note in the notes folder, and this app signed in as the second.
  beforeEach(async () => {
    firstDir = mkdtempSync(join(tmpdir(), 'ratsdesk-notes-first-'));
    first = createServices({
      dataDir: firstDir,
      keychainService: `ratsdesk-test-${randomUUID()}`,
      trust: { extraCaPem: [dovecot.cert.caPem] },
    });
    await connectAccount(first, dovecot, USER);
    await until('the mail connection online', async () =>
      (await first.mailSessions.current()).sync.connectionState.state === 'online' ? true : undefined,
    );
    await first.handlers.notes.save({
      body: {
        target: { kind: 'meeting', ref: 'https://ris.example/oparl/meeting/4' },
        targetTitle: 'Sitzung des Bauausschusses',
        anchor: null,
        page: null,
        color: null,
        text: 'Ortstermin am Mühlenbach vorschlagen',
      },
    });
    expect((await first.handlers.notes.syncNow()).state).toBe('idle');
    host = await startSignedIn(dovecot, USER);
  });

  afterEach(async () => {
    await host?.close();
    await first?.account.forget().catch(() => undefined);
    await first?.dispose();
    rmSync(firstDir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await stopAndRemove(dovecot);
  });

  test('no key of its own while notes wait; a wrong code is refused with a sentence; the right one brings the notes', async () => {
    const { page } = host;
    const { code } = await first.handlers.notes.recoveryCode();
    await showArea(host, 'settings');
    const section = page.getByRole('region', { name: 'Notizen' });
    await section.getByRole('button', { name: 'Jetzt abgleichen' }).click();
    await section.getByRole('status').filter({ hasText: 'Auf einem anderen Gerät gibt es schon Notizen' }).waitFor();

    // No key here yet: nothing to show.
    await section.getByRole('button', { name: 'Wiederherstellungscode anzeigen' }).click();
    await section.getByRole('alert').filter({ hasText: 'fehlt der Schlüssel Ihrer Notizen' }).waitFor();

    // One character wrong: refused, said in a sentence; nothing taken.
    const field = section.getByRole('textbox', { name: 'Code von Ihrem anderen Gerät' });
    const typo = code.slice(0, 5) + (code[5] === 'A' ? 'B' : 'A') + code.slice(6);
    await field.fill(typo);
    await section.getByRole('button', { name: 'Code übernehmen' }).click();
    await section.getByRole('alert').filter({ hasText: 'Dieser Wiederherstellungscode stimmt nicht' }).waitFor();
    expect(await host.services.handlers.notes.all()).toEqual([]);

    // The right code, typed in lower case with spaces: the key is here, the first device's note with it.
    await field.fill(code.toLowerCase().replaceAll('-', ' '));
    await section.getByRole('button', { name: 'Code übernehmen' }).click();
    await section.getByRole('status').filter({ hasText: 'Schlüssel übernommen' }).waitFor();
    expect((await host.services.handlers.notes.all()).map((n) => n.body.text)).toEqual([
      'Ortstermin am Mühlenbach vorschlagen',
    ]);
    // And it can be shown here now: the same code.
    await section.getByRole('button', { name: 'Wiederherstellungscode anzeigen' }).click();
    expect(await section.locator('code.notes-recovery-code').textContent()).toBe(code);
    await host.screenshot('notes-recovery-code-settings');
  });
});
