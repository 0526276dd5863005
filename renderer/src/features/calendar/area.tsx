import type { AppArea } from '../../app/area';
import { CalendarArea } from './CalendarArea';
import './calendar.css';

export const area: AppArea = { id: 'calendar', order: 15, labelKey: 'calendar.area', Component: CalendarArea };
