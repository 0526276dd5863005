import type { BrowserWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { SaveAsResult } from '../contract/documents';
import type { Services } from '../services/app-services';
import { saveDownloadedFile } from '../services/documents/download-mark';

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
  // With the download mark (Mark-of-the-Web, quarantine, xdg origin): Office, SmartScreen and Gatekeeper apply.
  await saveDownloadedFile(choice.filePath, doc.bytes, doc.source);
  return { saved: true };
}
