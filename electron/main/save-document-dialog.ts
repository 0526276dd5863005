import { writeFile } from 'node:fs/promises';
import type { BrowserWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { SaveAsResult } from '../contract/documents';
import type { Services } from '../services/app-services';

export interface SaveDialogHost {
  showSaveDialog(window: BrowserWindow | undefined, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
}

/**
 * "Save as…": the export check and the bytes come from the services (EXPORT_FORBIDDEN before any dialog),
 * the target only from the person in the native dialog; the renderer never names a path.
 */
export async function saveDocumentWithDialog(
  services: Pick<Services, 'documentForExport'>,
  host: SaveDialogHost,
  window: BrowserWindow | undefined,
  id: string,
): Promise<SaveAsResult> {
  const doc = await services.documentForExport(id);
  const choice = await host.showSaveDialog(window, {
    defaultPath: doc.fileName,
    properties: ['showOverwriteConfirmation'],
  });
  if (choice.canceled || !choice.filePath) return { saved: false };
  await writeFile(choice.filePath, doc.bytes);
  return { saved: true };
}
