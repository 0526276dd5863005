/** Only https links with a host may leave the app; everything else is refused before asking. */
export function parseExternalUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return undefined;
  return url;
}

export interface ExternalOpener {
  confirm(url: URL): Promise<boolean>;
  open(url: string): Promise<void>;
}

/** Shows the real target and opens it only after the person confirmed. */
export async function openExternalConfirmed(raw: string, opener: ExternalOpener): Promise<boolean> {
  const url = parseExternalUrl(raw);
  if (!url) return false;
  if (!(await opener.confirm(url))) return false;
  await opener.open(url.href);
  return true;
}
