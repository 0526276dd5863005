import type { AppArea } from '../../app/area';
import './today.css';

export const area: AppArea = {
  id: 'today',
  order: 5,
  labelKey: 'today.area',
  view: () => import('./TodayView').then((m) => m.TodayView),
};
