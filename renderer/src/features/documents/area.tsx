import type { AppArea } from '../../app/area';
import { DocumentsArea } from './DocumentsArea';

export const area: AppArea = { id: 'documents', order: 30, labelKey: 'documents.area', Component: DocumentsArea };
