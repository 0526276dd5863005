import { writeFile } from 'node:fs/promises';
import type { BrowserWindow } from 'electron';
import type { Services } from '../services/app-services';
import type { SaveDialogHost } from './save-document-dialog';

/**
 * "Exportieren (.ics)": the services build the file (one meeting, or all of the person's bodies), the person
 * picks the target in the native dialog (the renderer never names a path), then the exported SEQUENCEs are
 * recorded — a cancelled dialog leaves them, so the next export still counts from the last file written.
 * Public meeting dates that Ratsdesk wrote itself: no download mark.
 */
export async function saveMeetingCalendarWithDialog(
  services: Pick<Services, 'meetingCalendarForExport'>,
  host: SaveDialogHost,
  window: BrowserWindow | undefined,
  input: { meetingId?: string; language?: 'de' | 'en' },
): Promise<{ saved: boolean; exported: number }> {
  const file = await services.meetingCalendarForExport(input);
  const choice = await host.showSaveDialog(window, {
    defaultPath: file.fileName,
    filters: [{ name: input.language === 'en' ? 'Calendar' : 'Kalender', extensions: ['ics'] }],
    properties: ['showOverwriteConfirmation'],
  });
  if (choice.canceled || !choice.filePath) return { saved: false, exported: 0 };
  await writeFile(choice.filePath, file.ics, 'utf8');
  file.commit();
  return { saved: true, exported: file.exported };
}
