/** The message a click on the new-mail notification shows: the newest of those that arrived. */
export function notificationTarget(items: readonly { id: number; date: string | null }[]): number | undefined {
  let best: { id: number; date: string | null } | undefined;
  for (const item of items) {
    if (
      !best ||
      (item.date ?? '') > (best.date ?? '') ||
      ((item.date ?? '') === (best.date ?? '') && item.id > best.id)
    )
      best = item;
  }
  return best?.id;
}

/**
 * The text of the desktop notification for new mail. It names only how many messages arrived, never a
 * sender or subject: notifications show on lock screens and in shared-screen sessions.
 */
export function newMailNotificationText(count: number, language: string): { title: string; body: string } | undefined {
  if (!Number.isInteger(count) || count < 1) return undefined;
  if (language.startsWith('en')) {
    return { title: 'Ratsdesk', body: count === 1 ? '1 new message' : `${count} new messages` };
  }
  return { title: 'Ratsdesk', body: count === 1 ? '1 neue Nachricht' : `${count} neue Nachrichten` };
}
