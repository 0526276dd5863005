import type { AppArea } from '../../app/area';
import { TodayView } from './TodayView';
import './today.css';

export const area: AppArea = { id: 'today', order: 5, labelKey: 'today.area', Component: TodayView };
