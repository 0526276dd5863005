import type { AppArea } from '../../app/area';
import { useSession } from '../../app/session-store';
import { InboxView } from './InboxView';

function MailArea() {
  const inbox = useSession((s) => s.inbox);
  return inbox ? <InboxView inbox={inbox} /> : null;
}

export const area: AppArea = { id: 'mail', order: 10, labelKey: 'mail.area', Component: MailArea };
