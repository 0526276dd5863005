import type { AppArea } from '../../app/area';
import './ris.css';

export const area: AppArea = {
  id: 'ris',
  order: 20,
  labelKey: 'ris.area',
  view: () => import('./RisArea').then((m) => m.RisArea),
};
