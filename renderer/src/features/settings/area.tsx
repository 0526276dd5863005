import type { AppArea } from '../../app/area';
import { SettingsArea } from './SettingsArea';
import './settings.css';

export const area: AppArea = { id: 'settings', order: 90, labelKey: 'settings.area', Component: SettingsArea };
