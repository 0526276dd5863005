import type { Locator, Page } from 'playwright-core';

/**
 * Opens the mail with `subject` in the message list and answers the council link its reading pane marks
 * (the "Links in dieser Nachricht" entry the person takes into the council area), once it is shown.
 */
export async function councilLinkInMail(page: Page, subject: string): Promise<Locator> {
  await page.getByRole('listbox', { name: 'Nachrichten' }).getByRole('option').filter({ hasText: subject }).click();
  const council = page.getByRole('region', { name: 'Links in dieser Nachricht' }).locator('li.council');
  await council.waitFor();
  return council;
}
