import type { AppArea } from '../../app/area';
import { RisArea } from './RisArea';
import './ris.css';

export const area: AppArea = { id: 'ris', order: 20, labelKey: 'ris.area', Component: RisArea };
