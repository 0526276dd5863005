/** One message of a conversation for the tests: its own Message-ID and what it names as parent and ancestors. */
export interface ConversationMail {
  /** The Message-ID's local part (the domain is stadt.example). */
  id: string;
  subject: string;
  from: string;
  date: Date;
  inReplyTo?: string;
  references?: string[];
  body?: string;
}

const messageId = (local: string) => `<${local}@stadt.example>`;

/** The raw RFC 5322 message (plain text, UTF-8) with Message-ID, In-Reply-To and References as given. */
export function conversationMail(m: ConversationMail): string {
  return [
    `Message-ID: ${messageId(m.id)}`,
    `Subject: ${m.subject}`,
    `From: ${m.from}`,
    'To: rat@stadt.example',
    `Date: ${m.date.toUTCString()}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${messageId(m.inReplyTo)}`] : []),
    ...(m.references ? [`References: ${m.references.map(messageId).join(' ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.body ?? `Text zu ${m.subject}`,
    '',
  ].join('\r\n');
}

/**
 * A conversation of three about the budget, on the 10th, 11th and 14th of October 2026 at 08:00 UTC: a root,
 * a reply with References, and a reply to the reply.
 */
export const BUDGET_CONVERSATION: readonly ConversationMail[] = [
  {
    id: 'h1',
    subject: 'Haushalt 2027',
    from: 'Kämmerei <kaemmerei@stadt.example>',
    date: new Date(Date.UTC(2026, 9, 10, 8)),
  },
  {
    id: 'h2',
    subject: 'Re: Haushalt 2027',
    from: 'Anna Schmidt <anna@rat.example>',
    date: new Date(Date.UTC(2026, 9, 11, 8)),
    inReplyTo: 'h1',
    references: ['h1'],
    body: 'Meine Anmerkungen zum Entwurf.',
  },
  {
    id: 'h3',
    subject: 'Re: Re: Haushalt 2027',
    from: 'Ben Ott <ben@rat.example>',
    date: new Date(Date.UTC(2026, 9, 14, 8)),
    inReplyTo: 'h2',
    references: ['h1', 'h2'],
  },
];
