import { type InlineImage, MAX_INLINE_IMAGE_BYTES, MAX_INLINE_IMAGES_BYTES } from '../../contract/mail-reader';
import { extractAttachments, type ParsedAttachment } from './message-parser';

/**
 * Inline images (issue #19 item 2): an HTML mail that embeds its logos, signatures or scanned pages as related
 * parts names them with `cid:` URLs (RFC 2392). They come from the message itself — no network, so no
 * consent — and are shown as data: images after the checks an attachment gets: an image part, its bytes
 * really a PNG, JPEG, GIF or WebP (by their signature, whatever the header claims; SVG never: it can carry
 * script), at most 5 MB each and 15 MB per message. A part shown inline is not listed again as an attachment;
 * one that fails a check stays listed, so nothing is hidden.
 */

const MAX_IMAGES = 100;
/** Characters that end a `cid:` reference in HTML (attribute quotes, tags, CSS parentheses, white space). */
const REFERENCE_END = new Set(['"', "'", '<', '>', '(', ')', ' ', '\t', '\r', '\n', '&']);

/** The Content-IDs an HTML body names with `cid:` (URL-decoded, as RFC 2392 writes them), in one pass. */
export function referencedContentIds(html: string): Set<string> {
  const ids = new Set<string>();
  const lower = html.toLowerCase();
  for (let at = lower.indexOf('cid:'); at >= 0 && ids.size < MAX_IMAGES * 4; at = lower.indexOf('cid:', at + 4)) {
    let end = at + 4;
    while (end < html.length && end - at < 1004 && !REFERENCE_END.has(html[end]!)) end++;
    const ref = html.slice(at + 4, end);
    if (ref === '') continue;
    ids.add(ref);
    try {
      ids.add(decodeURIComponent(ref));
    } catch {
      // not percent-encoded: the literal form is in the set already
    }
  }
  return ids;
}

/** The image type the bytes really are, by their signature; null for anything else. */
export function rasterImageType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (
    starts(0x52, 0x49, 0x46, 0x46) &&
    bytes[8] === 0x57 &&
    bytes[9] === 0x45 &&
    bytes[10] === 0x42 &&
    bytes[11] === 0x50
  )
    return 'image/webp';
  return null;
}

export interface ResolvedInlineImages {
  images: InlineImage[];
  /** Part ids shown inline: not listed again as attachments. */
  inlinePartIds: Set<string>;
}

/** Resolves the message's own images that its HTML names with `cid:`. */
export async function resolveInlineImages(
  raw: Buffer,
  html: string,
  attachments: readonly ParsedAttachment[],
): Promise<ResolvedInlineImages> {
  const referenced = referencedContentIds(html);
  const candidates = attachments
    .filter((a) => a.contentId !== null && referenced.has(a.contentId) && a.mimeType.startsWith('image/'))
    .filter((a) => a.size <= MAX_INLINE_IMAGE_BYTES)
    .slice(0, MAX_IMAGES);
  const result: ResolvedInlineImages = { images: [], inlinePartIds: new Set() };
  if (candidates.length === 0) return result;
  let parts;
  try {
    parts = await extractAttachments(raw, new Set(candidates.map((a) => a.partId)), MAX_INLINE_IMAGE_BYTES);
  } catch {
    return result; // the attachments stay listed
  }
  let total = 0;
  for (const a of candidates) {
    const part = parts.get(a.partId);
    if (!part) continue;
    const type = rasterImageType(part.bytes);
    if (!type || total + part.bytes.byteLength > MAX_INLINE_IMAGES_BYTES) continue;
    total += part.bytes.byteLength;
    const base64 = Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.byteLength).toString('base64');
    result.images.push({ contentId: a.contentId!, dataUrl: `data:${type};base64,${base64}` });
    result.inlinePartIds.add(a.partId);
  }
  return result;
}
