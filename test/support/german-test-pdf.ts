import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState } from 'pdf-lib';

/** DejaVu Sans (Debian's fonts-dejavu-core, test/servers/debian-packages.txt): umlauts, ß and the ﬁ/ﬂ ligatures. */
export const DEJAVU_SANS = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

export interface GermanPdfPage {
  /** Lines drawn top to bottom, as given (a line may end in a hyphen to split a word over two lines). */
  lines: readonly string[];
}

/**
 * A PDF with real German text set in an embedded TrueType subset (with a ToUnicode map, as typesetting
 * programs write it), so pdf.js reads back umlauts, ß, ligature glyphs (U+FB01 ﬁ, U+FB02 ﬂ) and line ends.
 */
export async function makeGermanPdf(pages: readonly GermanPdfPage[], title = 'Vorlage'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(title);
  const font = await doc.embedFont(readFileSync(DEJAVU_SANS), { subset: true });
  for (const p of pages) {
    const page = doc.addPage([595.28, 841.89]);
    p.lines.forEach((line, i) => page.drawText(line, { x: 56, y: 780 - i * 16, size: 11, font }));
  }
  return doc.save({ useObjectStreams: false });
}

/** A "scanned" PDF: every page one noise image, no text layer at all. */
export async function makeScannedPdf(pageCount: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let n = 0; n < pageCount; n++) {
    const page = doc.addPage([595.28, 841.89]);
    const side = 64;
    const image = doc.context.stream(randomBytes(side * side * 3), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: side,
      Height: side,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    });
    const name = page.node.newXObject('Im', doc.context.register(image));
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(480, 0, 0, 700, 56, 70),
      drawObject(name),
      popGraphicsState(),
    );
  }
  return doc.save({ useObjectStreams: false });
}
