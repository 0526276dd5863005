import type { AppArea } from '../../app/area';
import { MailView } from './MailView';
import './mail.css';

export const area: AppArea = { id: 'mail', order: 10, labelKey: 'mail.area', Component: MailView };
