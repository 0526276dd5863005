import type { WebContents, WebContentsPrintOptions } from 'electron';
import { RatsdeskError } from '../contract/errors';

/**
 * Prints the app window's print layout (the open mail's header block and text, or a document's chosen
 * pages: renderer PrintLayout) through the system's print dialog. With the policy's printAllowed off
 * there is no print path: this refuses with PRINT_FORBIDDEN before any dialog.
 */
export async function printContents(
  contents: Pick<WebContents, 'print'> | undefined,
  allowed: boolean,
): Promise<{ printed: boolean }> {
  if (!allowed) throw new RatsdeskError('PRINT_FORBIDDEN');
  if (!contents) return { printed: false };
  const options: WebContentsPrintOptions = { silent: false, printBackground: false };
  return new Promise((done) => contents.print(options, (success) => done({ printed: success })));
}
