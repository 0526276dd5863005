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
