import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const CONTENT_TYPE = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
} as const;

/** Deepest BER nesting we parse; real CMS stays under 20, a crafted blob can nest thousands deep. */
const MAX_BER_DEPTH = 64;

/**
 * Refuses BER whose constructed encodings nest deeper than MAX_BER_DEPTH before asn1js (which
 * recurses) sees it. A linear walk over tag and length octets; primitives are skipped by length.
 */
export function berDepthWithin(der: Uint8Array, limit = MAX_BER_DEPTH): boolean {
  // ends[] holds the end offsets of open definite-length constructions (-1 for indefinite length).
  const ends: number[] = [];
  let i = 0;
  while (i < der.length) {
    while (ends.length && ends[ends.length - 1] === i) ends.pop();
    if (der[i] === 0 && der[i + 1] === 0 && ends.length && ends[ends.length - 1] === -1) {
      ends.pop(); // end-of-contents of an indefinite-length construction
      i += 2;
      continue;
    }
    const tag = der[i++]!;
    if ((tag & 0x1f) === 0x1f) while (i < der.length && der[i++]! & 0x80); // long-form tag number
    if (i >= der.length) return true;
    const first = der[i++]!;
    let length = -1;
    if (first < 0x80) length = first;
    else if (first > 0x80) {
      const n = first & 0x7f;
      if (n > 4) return false;
      length = 0;
      for (let k = 0; k < n; k++) length = length * 256 + (der[i++] ?? 0);
    }
    if (tag & 0x20) {
      ends.push(length < 0 ? -1 : i + length);
      if (ends.length > limit) return false;
    } else {
      if (length < 0) return false; // a primitive cannot have indefinite length
      i += length;
    }
  }
  return true;
}

/** A ContentInfo, or null when the bytes are not one (or nest suspiciously deep). */
export function parseContentInfo(der: Uint8Array): pkijs.ContentInfo | null {
  if (der.length < 8 || !berDepthWithin(der)) return null;
  try {
    const asn1 = asn1js.fromBER(der);
    if (asn1.offset === -1) return null;
    return new pkijs.ContentInfo({ schema: asn1.result });
  } catch {
    return null;
  }
}
