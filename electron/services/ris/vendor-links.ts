import type { RisLink, RisLinkKind } from './link-recognizer';

/**
 * Links of council systems beyond the ALLRIS and SessionNet pages in link-recognizer.ts, shaped as
 * their public installations publish them:
 *
 *  SD.NET RIM (Sternberg)
 *    https://luenen.ratsinfomanagement.net/sdnetrim/UGhVM0hpd2NXNFdFcExjZa-7rDd…/Verwaltungsvorlage_VL-105-2025_.pdf
 *    https://rim.ekom21.de/lampertheim/sdnetrim/UGhVM0hpd2NXNFdFcExjZZ6Ywh…/Beschlussvorlage_2009-11.pdf
 *    https://rim.ekom21.de/biblis/webservice/oparl/v1.1/body/1/files/UGhVM0hp…/Niederschrift.pdf
 *    https://ris.wesel.de/vorgang/?__=UGhVM0hpd2NXNFdFcExjZZX_vMqiAbzwPeEl-j4Ermw          (paper)
 *    https://samtgemeinde-eilsen.ratsinfomanagement.net/tops/?__=UGhVM0hpd2NX…          (meeting)
 *    https://sdnetrim.kdvz-frechen.de/rim4550/…                                          (an instance)
 *  ALLRIS net (CC e-gov), the OParl file download
 *    https://ratsinfo.leipzig.de/bi/oparl/1.0/download.asp?dtyp=130&id=1000487
 *  Somacos SessionNet, the OParl file download ("…/downloadfiles/…"; the number is getfile's id)
 *    https://ratsinfo.magdeburg.de/oparl/bodies/0001/downloadfiles/a/00692749.pdf
 *    https://sessionnet-oparl.krz.de/oparl/bodies/5497/downloadfiles/a/00096648.pdf
 *
 * Every pattern here is anchored and free of nested quantifiers: it runs in time linear in the URL.
 */

/** An SD.NET document or object token: base64url-like, as long as real ones get. */
const SDNET_TOKEN = /^[\w-]{8,200}$/;
/** The path segment of an SD.NET RIM instance (kdvz-frechen hosts many: /rim4550/, /rim4240/, …). */
const SDNET_INSTANCE = /^rim\d{2,6}$/i;
const SDNET_PAGES: Record<string, RisLinkKind> = { vorgang: 'paper', tops: 'meeting', sitzung: 'meeting' };
const ALLRIS_DOWNLOAD = /\/download\.asp$/i;
const NUMBER = /^\d{1,12}$/;
const NUMBERED_FILE = /^(\d{1,12})\.[a-z0-9]{1,5}$/i;

function segmentsOf(url: URL): string[] {
  return url.pathname.split('/').filter((s) => s.length > 0);
}

function param(url: URL, nameLower: string): string | null {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === nameLower) return value.trim();
  return null;
}

function matchSdnet(url: URL): RisLink | null {
  const segments = segmentsOf(url);
  // …/sdnetrim/<token>/<file name>
  const at = segments.findIndex((s) => s.toLowerCase() === 'sdnetrim');
  if (at >= 0 && segments.length - at >= 3) {
    const token = segments[at + 1] as string;
    if (SDNET_TOKEN.test(token)) return { product: 'sdnet', kind: 'file', id: token, url: url.href };
  }
  // …/webservice/oparl/v1.x/body/<n>/files/<token>/<file name>
  const files = segments.lastIndexOf('files');
  if (files >= 2 && segments.length - files === 3 && segments.includes('webservice')) {
    const token = segments[files + 1] as string;
    if (SDNET_TOKEN.test(token)) return { product: 'sdnet', kind: 'file', id: token, url: url.href };
  }
  // …/vorgang/?__=<token>, …/tops/?__=<token>
  const last = segments.at(-1)?.toLowerCase();
  const token = param(url, '__');
  if (last !== undefined && token !== null && SDNET_PAGES[last] && SDNET_TOKEN.test(token)) {
    return { product: 'sdnet', kind: SDNET_PAGES[last] as RisLinkKind, id: token, url: url.href };
  }
  return null;
}

function matchAllrisDownload(url: URL): RisLink | null {
  if (!ALLRIS_DOWNLOAD.test(url.pathname)) return null;
  const id = param(url, 'id');
  const dtyp = param(url, 'dtyp');
  // dtyp (document type) makes it ALLRIS: a bare download.asp?id= is too common elsewhere.
  if (id === null || dtyp === null || !NUMBER.test(id) || !NUMBER.test(dtyp)) return null;
  return { product: 'allris', kind: 'file', id, url: url.href };
}

function matchDownloadFiles(url: URL): RisLink | null {
  const segments = segmentsOf(url);
  const at = segments.findIndex((s) => s.toLowerCase() === 'downloadfiles');
  if (at < 0 || at === segments.length - 1) return null;
  const name = segments.at(-1) as string;
  const numbered = NUMBERED_FILE.exec(name);
  // The number without leading zeros is the id SessionNet's getfile.asp?id=… uses for the same file.
  const id = numbered
    ? String(Number(numbered[1]))
    : segments
        .slice(at + 1)
        .join('/')
        .slice(0, 300);
  return { product: 'sessionnet', kind: 'file', id, url: url.href };
}

/** SD.NET papers, meetings and files, ALLRIS download.asp, Somacos …/downloadfiles/…; else null. */
export function matchVendorLink(url: URL): RisLink | null {
  return matchAllrisDownload(url) ?? matchDownloadFiles(url) ?? matchSdnet(url);
}

/**
 * Any other page of an SD.NET RIM instance (…/rim4550/…). Asked after the OParl prefixes: a configured
 * system's API lives under the same instance path.
 */
export function matchVendorInstancePage(url: URL): RisLink | null {
  return segmentsOf(url).some((s) => SDNET_INSTANCE.test(s))
    ? { product: 'sdnet', kind: 'page', id: url.href, url: url.href }
    : null;
}
