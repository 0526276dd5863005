import { randomBytes } from 'node:crypto';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  StandardFonts,
} from 'pdf-lib';

export interface TestPdfOptions {
  pages: number;
  /** Pad the file to about this size with one noise image per page (incompressible, like scans). */
  targetBytes?: number;
  title?: string;
  /**
   * Write the small objects (page dictionaries, fonts) compressed into object streams with an xref stream, as
   * PDF 1.5+ producers do: they then sit together instead of one next to each page's image. Default false.
   */
  objectStreams?: boolean;
}

/** Words the generated PDF holds on page 1 (for search tests). */
export const TEST_PDF_PAGE1_WORDS = ['Haushaltssatzung', 'Beschlussvorlage', 'Musterstadt'] as const;

const A4 = [595.28, 841.89] as const;

/**
 * A council-paper-like PDF generated at test time (no binaries in the repository): a title and text on
 * page 1, "Seite n von N" and a paragraph on every page, a coloured bar, and optionally one noise image
 * per page so that the file reaches a realistic size.
 */
export async function makeTestPdf(options: TestPdfOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(options.title ?? 'Haushaltssatzung 2026');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  // Per-page image bytes: RGB, square, so that all pages together reach targetBytes.
  const perPage = options.targetBytes ? Math.max(0, Math.floor(options.targetBytes / options.pages) - 1200) : 0;
  const side = Math.floor(Math.sqrt(perPage / 3));

  for (let n = 1; n <= options.pages; n++) {
    const page = doc.addPage([A4[0], A4[1]]);
    page.drawRectangle({ x: 50, y: 770, width: 495, height: 30, color: rgb(0.04, 0.36, 0.68) });
    page.drawText(`Stadt Musterstadt – Ratsinformation`, { x: 60, y: 780, size: 12, font: bold, color: rgb(1, 1, 1) });
    if (n === 1) {
      page.drawText('Haushaltssatzung der Stadt Musterstadt 2026', { x: 50, y: 720, size: 20, font: bold });
      page.drawText('Beschlussvorlage 2026/0815 für den Rat und den Finanzausschuss', {
        x: 50,
        y: 690,
        size: 12,
        font,
      });
    }
    const lines = [
      `Abschnitt ${n}: Der Rat der Stadt beschließt die Ansätze dieses Teilplans.`,
      'Die Verwaltung wird beauftragt, die Mittel bewirtschaftet bereitzustellen.',
      'Ergebnisplan, Finanzplan und Stellenplan sind Bestandteile dieser Satzung.',
    ];
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 640 - i * 18, size: 11, font }));
    page.drawText(`Seite ${n} von ${options.pages}`, { x: 480, y: 40, size: 9, font });
    if (side > 0) {
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
        concatTransformationMatrix(200, 0, 0, 200, 50, 300),
        drawObject(name),
        popGraphicsState(),
      );
    }
  }
  return doc.save({ useObjectStreams: options.objectStreams ?? false });
}
