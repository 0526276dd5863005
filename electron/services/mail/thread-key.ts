/**
 * The conversation a message belongs to (its "thread key"), as SQL over a mail_messages row: the first
 * Message-ID its References name (the root of the conversation, present even when the messages between
 * are not stored), else the conversation of the message it replies to (In-Reply-To, for mail programs that
 * write no References), else that message's id, else its own Message-ID. A message without any id has
 * none (NULL): it is a conversation of its own (CONVERSATION below).
 *
 * Written at insert (mail-sync-repository.ts, with the values about to be stored as `@refs`, `@in_reply_to`,
 * `@message_id`) and once for the mail stored before (mail-migrations.ts, mail-008), so both agree.
 */
export function threadKeySql(refs: string, inReplyTo: string, messageId: string): string {
  return `coalesce(${referencesRootSql(refs)}, ${parentThreadSql(inReplyTo)}, ${inReplyTo}, ${messageId})`;
}

/** The first id of a References column (the ids are stored separated by single spaces); NULL when none. */
export function referencesRootSql(refs: string): string {
  return `nullif(substr(${refs}, 1, instr(${refs} || ' ', ' ') - 1), '')`;
}

/** The conversation of the stored message with the given Message-ID (NULL when it is not stored). */
export function parentThreadSql(inReplyTo: string): string {
  return `(SELECT p.thread_key FROM mail_messages p WHERE p.message_id = ${inReplyTo} AND p.thread_key IS NOT NULL LIMIT 1)`;
}

/** A row's conversation in list queries: its thread key, or the row alone when it has none. */
export const CONVERSATION = "ifnull(m.thread_key, '#' || m.id)";
