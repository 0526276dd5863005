import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AccountSettings } from '../../electron/contract/account';
import { CalendarService } from '../../electron/services/calendar/calendar-service';
import { readCalendar } from '../../electron/services/calendar/read-calendar';
import { DocumentCache } from '../../electron/services/documents/document-cache';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { MailAccountSession } from '../../electron/services/mail/mail-account-session';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { freePort } from '../servers/free-port';
import { startPostfix, stopAndRemovePostfix, type PostfixServer } from '../servers/postfix';
import { composeRaw, submitRaw } from '../support/submit-mail';
import { until } from '../support/wait-until';

// Invitations (iTIP over iMIP) through real Postfix and Dovecot: an invitation as Outlook sends it arrives,
// Zusagen puts one REPLY into the outbox (never two), the organizer's own Ratsdesk — a second account with its
// own vault — reads the REPLY and shows the new answer; an update, a cancelled instance and a counter proposal
// follow the same path; offline, the answer waits in the outbox.

interface Person {
  vault: Vault;
  session: MailAccountSession;
  calendar: CalendarService;
}

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'calendar', name), 'utf8');

describe('invitations through real Postfix and Dovecot', () => {
  const anna = { user: 'anna', pass: 'geheim-123' };
  const organizer = { user: 'kaemmerei', pass: 'auch-geheim-456' };
  let dovecot: DovecotServer;
  let postfix: PostfixServer;
  let dir: string;
  const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
  const people: Person[] = [];

  async function signIn(who: { user: string; pass: string }, options: { smtpPort?: number; file?: string } = {}) {
    const vault = await openVault({
      file: join(dir, options.file ?? `${who.user}.db`),
      keychain,
      keyAccount: `vault-${options.file ?? who.user}`,
    });
    const documents = new DocumentCache(vault);
    const settings: AccountSettings = {
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      security: 'tls',
      username: who.user,
      email: postfix.addressOf(who.user),
      smtp: { host: '127.0.0.1', port: options.smtpPort ?? postfix.submissionPort, security: 'starttls' },
    };
    const session = new MailAccountSession({
      vault,
      settings,
      password: async () => who.pass,
      trust: { extraCaPem: [dovecot.cert.caPem] },
      documents: async () => documents,
      sync: { pollMs: 500 },
      events: {
        syncProgress: () => undefined,
        newMail: () => undefined,
        connectionState: () => undefined,
        outboxChanged: () => undefined,
      },
    });
    session.start();
    const calendar = new CalendarService({
      vault: async () => vault,
      mail: async () => session,
      council: () => Promise.reject(new Error('no council system in this test')),
      timeZone: 'Europe/Berlin',
    });
    const person = { vault, session, calendar };
    people.push(person);
    return person;
  }

  /** An iMIP message as a calendar program builds it (nodemailer's icalEvent: text/calendar alternative). */
  const imip = (from: string, to: string, subject: string, method: string, ics: string) =>
    composeRaw({ from, to, subject, text: subject, icalEvent: { method, content: ics } });

  const submit = (who: { user: string; pass: string }, to: string, raw: Buffer) =>
    submitRaw(postfix, dovecot.cert.caPem, who, to, raw);

  /** The fixture as sent between the two test accounts. */
  function addressed(name: string): string {
    return fixture(name)
      .replaceAll('kaemmerei@stadt.example', postfix.addressOf(organizer.user))
      .replaceAll('anna@stadt.example', postfix.addressOf(anna.user));
  }

  function inFolder(person: Person, folder: string, subject: (s: string) => boolean) {
    return until(`“${folder}” message`, () =>
      person.session.sync.listPage(folder).items.find((m) => subject(m.subject)),
    );
  }

  beforeAll(async () => {
    dovecot = await startDovecot({ withLmtpAndAuth: true, users: [anna, organizer] });
    postfix = await startPostfix({ dovecot });
    dir = mkdtempSync(join(tmpdir(), 'ratsdesk-calendar-'));
  }, 60_000);

  afterAll(async () => {
    for (const p of people) {
      await p.session.dispose();
      p.vault.close();
    }
    await stopAndRemovePostfix(postfix);
    await stopAndRemove(dovecot);
    for (const name of ['anna', 'kaemmerei', 'anna-offline.db'])
      await keychain.delete(`vault-${name}`).catch(() => false);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('Zusagen sends one REPLY; the organizer’s Ratsdesk shows the answer; update, cancel and counter follow', async () => {
    const organizerAddress = postfix.addressOf(organizer.user);
    const annaAddress = postfix.addressOf(anna.user);
    // The organizer invites from another program (as Outlook would): iMIP to Anna, the same message in Sent.
    const request = await imip(
      `Kämmerei Musterstadt <${organizerAddress}>`,
      annaAddress,
      'Abstimmung Haushalt 2027',
      'REQUEST',
      addressed('outlook-request.ics'),
    );
    await submit(organizer, annaAddress, request);
    dovecot.seed(organizer.user, [{ subject: '', raw: request.toString('utf8') }], 'Sent');

    const annaApp = await signIn(anna);
    const invitationMail = await inFolder(annaApp, 'INBOX', (s) => s === 'Abstimmung Haushalt 2027');
    const card = await annaApp.calendar.invitation(invitationMail.id);
    expect(card).toMatchObject({
      method: 'REQUEST',
      summary: 'Abstimmung Haushalt 2027',
      location: 'Rathaus, Sitzungssaal 2',
      start: '2026-03-17T10:00:00+01:00',
      end: '2026-03-17T11:30:00+01:00',
      timeZone: 'Europe/Berlin',
      recurrence: { de: 'jeden zweiten Dienstag bis 30.06.2027, außer 14.04.' },
      iAmOrganizer: false,
      myAnswer: 'NEEDS-ACTION',
      inCalendar: false,
    });
    expect(card?.attendees.map((a) => [a.name, a.partstat])).toEqual([
      ['Anna Schöne', 'NEEDS-ACTION'],
      ['Groß, Jürgen', 'NEEDS-ACTION'],
    ]);

    // Zusagen: one REPLY in the outbox, however often the person clicks.
    expect(await annaApp.calendar.respond(invitationMail.id, 'ACCEPTED', 'Ich komme gern.')).toEqual({ queued: true });
    expect(await annaApp.calendar.respond(invitationMail.id, 'ACCEPTED')).toEqual({ queued: false });
    const outbox = annaApp.session.compose.listOutbox();
    expect(outbox.map((i) => i.subject)).toEqual(['Zugesagt: Abstimmung Haushalt 2027']);
    const again = await annaApp.calendar.invitation(invitationMail.id);
    expect(again).toMatchObject({ myAnswer: 'ACCEPTED', inCalendar: true });

    // The accepted series is in Anna's calendar: every second Tuesday, without the excluded 14 April.
    const march = await annaApp.calendar.dates({
      from: '2026-03-01T00:00:00+01:00',
      to: '2026-05-01T00:00:00+02:00',
      bodies: 'mine',
    });
    expect(march.council).not.toBeNull(); // no council system here: own dates only, with the reason
    expect(march.dates.map((d) => d.start)).toEqual([
      '2026-03-17T10:00:00+01:00',
      '2026-03-31T10:00:00+02:00',
      '2026-04-28T10:00:00+02:00',
    ]);
    expect(march.dates[0]).toMatchObject({ kind: 'event', title: 'Abstimmung Haushalt 2027', myAnswer: 'ACCEPTED' });

    // The organizer's own Ratsdesk: the invitation read from Sent becomes the copy answers arrive on.
    const organizerApp = await signIn(organizer);
    const sentCopy = await inFolder(organizerApp, 'Sent', (s) => s === 'Abstimmung Haushalt 2027');
    expect(await organizerApp.calendar.invitation(sentCopy.id)).toMatchObject({ iAmOrganizer: true, inCalendar: true });
    const replyMail = await inFolder(organizerApp, 'INBOX', (s) => s.startsWith('Zugesagt:'));
    const raw = (await organizerApp.session.reader.read(replyMail.id)).attachments;
    expect(raw.some((a) => a.mimeType === 'text/calendar')).toBe(true);
    const replyCard = await organizerApp.calendar.invitation(replyMail.id);
    expect(replyCard).toMatchObject({ method: 'REPLY', iAmOrganizer: true, comment: 'Ich komme gern.' });
    expect(replyCard?.answers).toEqual([
      { email: annaAddress, name: 'Anna Schöne', before: 'NEEDS-ACTION', after: 'ACCEPTED' },
    ]);
    expect(replyCard?.attendees.find((a) => a.email === annaAddress)?.partstat).toBe('ACCEPTED');
    // The answer stays on the organizer's copy: the invitation in Sent now shows it too.
    const organizerCopy = await organizerApp.calendar.invitation(sentCopy.id);
    expect(organizerCopy?.attendees.find((a) => a.email === annaAddress)?.partstat).toBe('ACCEPTED');

    // An updated REQUEST (SEQUENCE 1): the event moves to 14:00 in the Ratssaal, and the card says so.
    await submit(
      organizer,
      annaAddress,
      await imip(
        organizerAddress,
        annaAddress,
        'Geändert: Abstimmung Haushalt 2027',
        'REQUEST',
        addressed('outlook-update.ics'),
      ),
    );
    const updateMail = await inFolder(annaApp, 'INBOX', (s) => s.startsWith('Geändert:'));
    const update = await annaApp.calendar.invitation(updateMail.id);
    expect(update).toMatchObject({ verdict: 'newer', sequence: 1, start: '2026-03-17T14:00:00+01:00' });
    expect(update?.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['time', 'location']));
    // The older invitation now says it is out of date.
    expect(await annaApp.calendar.invitation(invitationMail.id)).toMatchObject({ verdict: 'older' });

    // A CANCEL of one instance (28 April): that date leaves Anna's calendar, the others stay.
    await submit(
      organizer,
      annaAddress,
      await imip(
        organizerAddress,
        annaAddress,
        'Abgesagt: Abstimmung Haushalt 2027',
        'CANCEL',
        addressed('outlook-cancel.ics'),
      ),
    );
    const cancelMail = await inFolder(annaApp, 'INBOX', (s) => s.startsWith('Abgesagt:'));
    expect(await annaApp.calendar.invitation(cancelMail.id)).toMatchObject({ method: 'CANCEL', cancelled: true });
    const afterCancel = await annaApp.calendar.dates({
      from: '2026-03-01T00:00:00+01:00',
      to: '2026-05-01T00:00:00+02:00',
      bodies: 'mine',
    });
    expect(afterCancel.dates.map((d) => d.start)).toEqual(['2026-03-17T14:00:00+01:00', '2026-03-31T14:00:00+02:00']);

    // A COUNTER from Anna's side: the organizer sees the proposed time beside the current one.
    await submit(
      anna,
      organizerAddress,
      await imip(annaAddress, organizerAddress, 'Neuer Zeitvorschlag', 'COUNTER', addressed('outlook-counter.ics')),
    );
    const counterMail = await inFolder(organizerApp, 'INBOX', (s) => s === 'Neuer Zeitvorschlag');
    const counter = await organizerApp.calendar.invitation(counterMail.id);
    expect(counter).toMatchObject({ method: 'COUNTER' });
    expect(counter?.counter?.proposed.start).toBe('2026-03-17T16:00:00+01:00');
    expect(counter?.counter?.current?.start).toBe('2026-03-17T10:00:00+01:00');
  }, 180_000);

  test('offline: the answer waits in the outbox, once; an .ics attachment imports into the calendar', async () => {
    const annaAddress = postfix.addressOf(anna.user);
    const publish = fixture('google-request.ics').replace(/METHOD:REQUEST/, 'METHOD:PUBLISH');
    const publishRaw = await composeRaw({
      from: 'Geschäftsstelle <gs@stadt.example>',
      to: annaAddress,
      subject: 'Termine zum Eintragen',
      text: 'Anbei die Termine.',
      attachments: [{ filename: 'termine.ics', contentType: 'text/calendar', content: publish }],
    });
    dovecot.seed(anna.user, [{ subject: '', raw: publishRaw.toString('utf8') }]);

    // SMTP unreachable (a closed port): the vault and IMAP work, sending does not.
    const offline = await signIn(anna, { smtpPort: await freePort(), file: 'anna-offline.db' });
    const invitationMail = await inFolder(offline, 'INBOX', (s) => s === 'Abstimmung Haushalt 2027');
    // a double click: two answers in flight at once, one REPLY
    const twice = await Promise.all([
      offline.calendar.respond(invitationMail.id, 'TENTATIVE'),
      offline.calendar.respond(invitationMail.id, 'TENTATIVE'),
    ]);
    expect(twice.map((r) => r.queued).sort()).toEqual([false, true]);
    expect(await offline.calendar.respond(invitationMail.id, 'TENTATIVE')).toEqual({ queued: false });
    // another answer to the same version is a new decision: it goes out too
    expect(await offline.calendar.respond(invitationMail.id, 'DECLINED')).toEqual({ queued: true });
    await new Promise((r) => setTimeout(r, 500));
    const items = offline.session.compose.listOutbox();
    expect(items.map((i) => [i.subject, i.state])).toEqual([
      ['Vorläufig zugesagt: Abstimmung Haushalt 2027', 'queued'],
      ['Abgesagt: Abstimmung Haushalt 2027', 'queued'],
    ]);
    // declined: not in the calendar
    expect(await offline.calendar.invitation(invitationMail.id)).toMatchObject({
      inCalendar: false,
      myAnswer: 'DECLINED',
    });

    const publishMail = await inFolder(offline, 'INBOX', (s) => s === 'Termine zum Eintragen');
    const card = await offline.calendar.invitation(publishMail.id);
    expect(card).toMatchObject({ method: 'PUBLISH', inCalendar: false });
    const reading = readCalendar(publish, { timeZone: 'Europe/Berlin' });
    expect(await offline.calendar.importAttachment(publishMail.id, card!.partId)).toEqual({
      imported: reading.events.length,
    });
    const first = reading.events[0]!;
    const dates = await offline.calendar.dates({
      from: new Date(Date.parse(first.start) - 86_400_000).toISOString(),
      to: new Date(Date.parse(first.start) + 86_400_000).toISOString(),
      bodies: 'mine',
    });
    expect(dates.dates.find((d) => d.kind === 'event' && d.start === first.start)).toMatchObject({
      title: first.summary,
      source: 'import',
    });
  }, 120_000);
});
