import type { AppArea } from '../../app/area';
import './settings.css';

export const area: AppArea = {
  id: 'settings',
  order: 90,
  labelKey: 'settings.area',
  view: () => import('./SettingsArea').then((m) => m.SettingsArea),
};
