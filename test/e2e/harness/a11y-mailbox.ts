import type { DovecotServer, SeedMessage, TestUser } from '../../servers/dovecot';
import { type SignedInOptions, startSignedIn } from '../../support/e2e-account';
import { buildMimeMessage } from '../../support/mime-message';
import type { AppHost } from './app-host';

export const A11Y_LANGUAGES = ['de', 'en'] as const;
export type A11yLanguage = (typeof A11Y_LANGUAGES)[number];

/** The navigation labels the accessibility tests click, per language (the areas' own strings). */
export const AREA_LABEL: Record<A11yLanguage, Record<'mail' | 'ris' | 'documents' | 'settings', string>> = {
  de: { mail: 'E-Mail', ris: 'Ratsinfo', documents: 'Dokumente', settings: 'Einstellungen' },
  en: { mail: 'Mail', ris: 'Council info', documents: 'Documents', settings: 'Settings' },
};

/** A plain mail, an HTML mail and a mail with a PDF attachment: one of each kind of reading pane. */
export function a11yInbox(pdf: Uint8Array): SeedMessage[] {
  return [
    {
      from: 'Fraktionsbüro <buero@fraktion.example>',
      subject: 'Klartext: Tagesordnung',
      body: 'Liebe Kolleginnen und Kollegen,\r\nanbei die Tagesordnung.\r\n',
      date: new Date(Date.UTC(2026, 10, 20, 9)),
    },
    {
      subject: '',
      raw: buildMimeMessage({
        from: 'Presseamt <presse@stadt.example>',
        to: 'axel@stadt.example',
        subject: 'HTML: Pressemitteilung',
        date: new Date(Date.UTC(2026, 10, 21, 9)),
        messageId: 'html-1@stadt.example',
        text: 'Pressemitteilung',
        html: '<h1>Pressemitteilung</h1><p>Der Rat hat <b>beschlossen</b>.</p><ul><li>Punkt eins</li></ul>',
      }),
    },
    {
      subject: '',
      raw: buildMimeMessage({
        from: 'Kämmerei <kaemmerei@stadt.example>',
        to: 'axel@stadt.example',
        subject: 'PDF: Haushaltssatzung',
        date: new Date(Date.UTC(2026, 10, 22, 9)),
        messageId: 'pdf-1@stadt.example',
        text: 'Anbei die Satzung.',
        attachments: [{ filename: 'Haushaltssatzung.pdf', contentType: 'application/pdf', content: pdf }],
      }),
    },
  ];
}

/**
 * `user`'s own mailbox seeded with a11yInbox (and `moreMail`), and the app signed in to it showing the UI in `language`
 * (the language the person chose before, as the app keeps it).
 */
export async function signedInWithLanguage(
  dovecot: DovecotServer,
  user: TestUser,
  pdf: Uint8Array,
  language: A11yLanguage,
  options: SignedInOptions & { moreMail?: SeedMessage[] } = {},
): Promise<AppHost> {
  await dovecot.addUser(user);
  const { beforeOpen, moreMail = [], ...rest } = options;
  dovecot.seed(user.user, [...a11yInbox(pdf), ...moreMail]);
  return startSignedIn(dovecot, user, {
    ...rest,
    account: { email: 'axel@stadt.example' },
    async beforeOpen(h) {
      await h.context.addInitScript((lng) => localStorage.setItem('ratsdesk.language', lng), language);
      await beforeOpen?.(h);
    },
  });
}

/** Opens the message with `subject` from the message list and waits for its reading pane. */
export async function openMail(h: AppHost, subject: string): Promise<void> {
  await h.page.locator('[role="listbox"] [role="option"]').filter({ hasText: subject }).click();
  await h.page.locator('.reading-pane h2').filter({ hasText: subject }).waitFor();
}
