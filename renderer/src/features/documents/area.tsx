import type { AppArea } from '../../app/area';

export const area: AppArea = {
  id: 'documents',
  order: 30,
  labelKey: 'documents.area',
  view: () => import('./DocumentsArea').then((m) => m.DocumentsArea),
};
