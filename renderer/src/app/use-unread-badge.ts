import { useEffect } from 'react';
import { useMail } from '../features/mail/mail-store';
import { api } from '../ratsdesk-api';

/** The inbox's unread count goes to the app icon (the host applies the policy's unreadBadge); 0 when signed out. */
export function useUnreadBadge(signedIn: boolean): void {
  const unread = useMail((s) => s.folders.find((f) => f.role === 'inbox')?.unread ?? 0);
  const count = signedIn ? unread : 0;
  useEffect(() => {
    void api().app.setUnreadCount({ count });
  }, [count]);
}
