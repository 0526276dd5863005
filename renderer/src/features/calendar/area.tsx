import type { AppArea } from '../../app/area';
import './calendar.css';

export const area: AppArea = {
  id: 'calendar',
  order: 15,
  labelKey: 'calendar.area',
  view: () => import('./CalendarArea').then((m) => m.CalendarArea),
};
