import type { AppArea } from '../../app/area';
import './mail.css';

export const area: AppArea = {
  id: 'mail',
  order: 10,
  labelKey: 'mail.area',
  view: () => import('./MailView').then((m) => m.MailView),
  prepare: () => import('./mail-store').then((m) => m.useMail.getState().start()),
};
