import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';
import { type OparlTestServer, startOparlServer } from '../servers/oparl-server';
import { startSignedIn } from '../support/e2e-account';
import { councilLinkInMail } from '../support/e2e-council-link';
import type { AppHost } from './harness/app-host';

const PASSWORD = 'Ratssaal-2026!';

/**
 * A council system as some real ones are (issue 14): it answers only over plain http (the machine
 * policy allows that origin), its /bodies endpoint returns one Body object, and its files are SD.NET
 * download links. In Chromium against the real services: a file link in a mail opens the file in the
 * viewer, data that came over http is marked "unverschlüsselt übertragen", the deviations are listed.
 * Without that policy the link is refused with a sentence that names the server.
 */
describe('council system over plain http, with vendor file links, in Chromium', () => {
  let dovecot: DovecotServer;
  let oparl: OparlTestServer;
  let host: AppHost;
  let PAPER = 0;
  let mailboxes = 0;

  // The servers are shared (the tests do not change them); each test signs in to its own mailbox with
  // its own vault, with or without the machine policy allowing the http origin.
  beforeAll(async () => {
    [dovecot, oparl] = await Promise.all([
      startDovecot({ users: [] }),
      startOparlServer({ papers: 20, meetings: 4, organizations: 3, persons: 4, itemsPerMeeting: 3, pageSize: 10 }),
    ]);
    Object.assign(oparl.misbehave, { httpIds: 'http-only', bodyListAsObject: true, fileUrlStyle: 'sdnet' });
    PAPER = oparl.generated.papersOfMeeting(1)[0] as number;
  });
  const signIn = async (allowHttp: boolean) => {
    const user = { user: `hanna${++mailboxes}`, pass: PASSWORD };
    await dovecot.addUser(user);
    dovecot.seed(user.user, [
      {
        from: 'Ratsbüro <ratsbuero@stadt.example>',
        subject: 'Beschlussvorlage als PDF',
        date: new Date(),
        seen: false,
        body: `Guten Tag,\r\n\r\ndie Vorlage zum Download:\r\n${oparl.generated.fileAccessUrl(2 * PAPER)}\r\n\r\nGruß\r\n`,
      },
    ]);
    host = await startSignedIn(dovecot, user, {
      trust: { extraCaPem: [oparl.caPem] },
      ris: {
        systemUrl: oparl.generated.systemUrl,
        allowedOrigins: [oparl.origin],
        insecureHttpOrigins: allowHttp ? [oparl.httpOnlyOrigin] : [],
      },
    });
    return host;
  };
  afterEach(async () => {
    await host?.close();
  });
  afterAll(async () => {
    await oparl?.stop().catch(() => undefined);
    if (dovecot) await stopAndRemove(dovecot);
  });

  test('a vendor file link in a mail opens the file in the viewer, marked as transferred unencrypted', async () => {
    const { page } = await signIn(true);
    const council = await councilLinkInMail(page, 'Beschlussvorlage als PDF');
    await council.getByRole('button').click();
    await expect.poll(() => page.getByRole('button', { name: 'Ratsinfo' }).getAttribute('aria-current')).toBe('page');

    // The file itself, not a web page: the viewer's pane with the document from the vault.
    const doc = page.locator('.ris-document');
    await doc.waitFor();
    await doc.locator('canvas, [data-document-size]').first().waitFor();
    expect(await doc.getByRole('heading', { level: 1 }).textContent()).toBe('Vorlage');
    expect(await doc.locator('.ris-insecure').textContent()).toContain('unverschlüsselt übertragen');
    expect(host.risPages).toEqual([]);
    expect(
      (await host.services.documents()).findBySource({ kind: 'url', ref: oparl.generated.fileUrl(2 * PAPER) }),
    ).toBeDefined();
    await host.screenshot('ris-file-link-insecure');
  });

  test('papers read over http say so; the system deviations are listed under the body', async () => {
    const { page } = await signIn(true);
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Ratsinfo' }).click();
    await page.getByLabel('Link aus dem Ratsinformationssystem').fill(oparl.generated.paperWebUrl(PAPER));
    await page.getByRole('button', { name: 'Link öffnen' }).click();
    const article = page.getByRole('article');
    await article
      .getByRole('heading', { level: 1 })
      .filter({ hasText: `(Vorlage ${PAPER})` })
      .waitFor();
    const mark = article.locator('.ris-insecure');
    expect(await mark.textContent()).toContain('unverschlüsselt übertragen');
    expect(await mark.textContent()).toContain('Ihre IT');

    const deviations = page.locator('.ris-deviations');
    await deviations.locator('summary').click();
    expect(await deviations.locator('summary').textContent()).toBe('2 Abweichungen vom OParl-Standard');
    expect(
      await deviations.locator('li').evaluateAll((items) => items.map((i) => i.getAttribute('data-deviation'))),
    ).toEqual(['list-is-object', 'http-only']);
    expect(await deviations.locator('li[data-deviation="http-only"]').textContent()).toContain(oparl.httpOnlyOrigin);
    expect(await page.getByRole('alert').count()).toBe(0);
    await host.screenshot('ris-paper-insecure-deviations');
  });

  test('without the policy key the http-only system is refused with a sentence naming the server', async () => {
    const { page } = await signIn(false);
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('button', { name: 'Ratsinfo' }).click();
    await page.getByLabel('Link aus dem Ratsinformationssystem').fill(oparl.generated.paperWebUrl(PAPER));
    await page.getByRole('button', { name: 'Link öffnen' }).click();
    // Below the link field (the bodies panel may say the same once it reloads).
    const alert = page
      .locator('form', { has: page.getByLabel('Link aus dem Ratsinformationssystem') })
      .locator('[role="alert"][data-error-code="RIS_HTTP_ONLY"]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      `Der Server ${oparl.httpOnlyOrigin} liefert das Ratsinformationssystem nur unverschlüsselt (http). ` +
        'Ratsdesk lädt von dort nichts, solange Ihre IT diese Adresse nicht ausdrücklich freigibt.',
    );
    expect(await page.getByRole('article').count()).toBe(0);
    await host.screenshot('ris-http-only-refused');
  });
});
