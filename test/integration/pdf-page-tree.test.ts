import { randomBytes } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, StandardFonts } from 'pdf-lib';
import { describe, expect, test } from 'vitest';
import {
  buildPageTreeUpdate,
  PAGE_TREE_MIN_KIDS,
  PAGE_TREE_NODE_KIDS,
  pageTreeUpdate,
} from '../../electron/services/documents/pdf-page-tree';
import { readPdfPages, withUpdate } from '../support/pdf-pages-read';

/**
 * A flat PDF as LibreOffice, Ghostscript or pdf-lib write it: every page a kid of the root /Pages node. The
 * rotation and the media box are set on the root only, so pdf.js must inherit them through each page's /Parent.
 */
async function flatPdf(pages: number, objectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([300, 400]);
    page.drawText(`Seite ${n} von ${pages}`, { x: 20, y: 350, size: 12, font });
    page.node.delete(PDFName.of('MediaBox'));
  }
  const root = doc.catalog.Pages();
  root.set(PDFName.of('Rotate'), PDFNumber.of(90));
  root.set(PDFName.of('MediaBox'), doc.context.obj([0, 0, 300, 400]));
  return doc.save({ useObjectStreams: objectStreams });
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Appends an incremental update (classic xref section, /Prev to the file's last one) that adds `objects`. */
function appendUpdate(bytes: Uint8Array, objects: Map<number, string>, trailerExtra = ''): Uint8Array {
  const text = latin1(bytes);
  const prev = Number(/startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))?.[1]);
  const size = Math.max(...[...text.matchAll(/\/Size (\d+)/g)].map((m) => Number(m[1])));
  const root = /\/Root (\d+ \d+ R)/.exec(text)?.[1];
  let out = '\n';
  const offsets: string[] = [];
  for (const [n, body] of objects) {
    offsets.push(`${n} 1\n${String(bytes.byteLength + out.length).padStart(10, '0')} 00000 n\r\n`);
    out += `${n} 0 obj\n${body}\nendobj\n`;
  }
  const xrefAt = bytes.byteLength + out.length;
  out += `xref\n${offsets.join('')}trailer\n<< /Size ${size} /Root ${root} /Prev ${prev}${trailerExtra} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return withUpdate(bytes, Buffer.from(out, 'latin1'));
}

const PAGES = 600;
const CHECKED = [1, 2, 33, 300, 599, 600];

describe('balanced page tree for a flat PDF (#15 target 3): pdf.js reads the same document through the update', () => {
  for (const objectStreams of [true, false]) {
    test(`${objectStreams ? 'object streams and an xref stream' : 'a classic xref table'}: same pages, text, inherited attributes and page indexes`, async () => {
      const bytes = await flatPdf(PAGES, objectStreams);
      const found = await pageTreeUpdate(bytes);
      expect(found.kind).toBe('update');
      if (found.kind !== 'update') return;
      expect(found.pages).toBe(PAGES);
      // 600 pages: 19 nodes of ≤ 32 kids and the new root over them.
      expect(found.nodes).toBe(Math.ceil(PAGES / PAGE_TREE_NODE_KIDS) + 1);
      // The stored bytes are not touched: the update only follows them.
      const text = latin1(found.update);
      expect(text).toMatch(/trailer\n<< \/Size \d+ \/Root \d+ 0 R \/Prev \d+/);
      expect(text.endsWith('%%EOF\n')).toBe(true);
      const [without, through] = await Promise.all([
        readPdfPages(bytes, CHECKED),
        readPdfPages(withUpdate(bytes, found.update), CHECKED),
      ]);
      expect(through.numPages).toBe(PAGES);
      expect(through).toEqual(without);
      expect(through.pages[600]?.text).toContain('Seite 600 von 600');
      expect(through.pages[33]).toMatchObject({ rotate: 90, view: [0, 0, 300, 400], index: 32 });
    });
  }

  test('a PDF with an incremental update of its own: the new section chains to it, its changes stay visible', async () => {
    const bytes = await flatPdf(PAGES, false);
    const doc = await PDFDocument.load(bytes);
    const page2 = doc.getPage(1).node;
    const contents = page2.lookup(PDFName.of('Contents'), PDFArray).get(0);
    const font = page2.Resources()?.lookup(PDFName.of('Font'), PDFDict).keys()[0]?.toString();
    if (!(contents instanceof PDFRef) || !font) throw new Error('unexpected page 2');
    const stream = `BT ${font} 12 Tf 20 300 Td (Nachtrag zur Seite zwei) Tj ET`;
    const updated = appendUpdate(
      bytes,
      new Map([[contents.objectNumber, `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`]]),
    );
    const found = await pageTreeUpdate(updated);
    expect(found.kind).toBe('update');
    if (found.kind !== 'update') return;
    const [without, through] = await Promise.all([
      readPdfPages(updated, CHECKED),
      readPdfPages(withUpdate(updated, found.update), CHECKED),
    ]);
    expect(without.pages[2]?.text).toContain('Nachtrag zur Seite zwei');
    expect(through).toEqual(without);
  });

  test('a PDF whose tree is already balanced, or small, gets no update', async () => {
    const bytes = await flatPdf(PAGES, true);
    const found = await buildPageTreeUpdate(bytes);
    if (found.kind !== 'update') throw new Error('expected an update');
    expect(await pageTreeUpdate(withUpdate(bytes, found.update))).toEqual({
      kind: 'none',
      reason: 'small or balanced',
    });
    expect(await pageTreeUpdate(await flatPdf(PAGE_TREE_MIN_KIDS, true))).toEqual({
      kind: 'none',
      reason: 'small or balanced',
    });
  });
});

describe('hostile or unusual input gets no update, quickly, and never throws', () => {
  /** Runs `pageTreeUpdate` and answers its reason; every case is refused well under a second of CPU. */
  async function refused(bytes: Uint8Array): Promise<string> {
    const before = process.cpuUsage();
    const found = await pageTreeUpdate(bytes);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
    expect(found.kind).toBe('none');
    return found.kind === 'none' ? found.reason : '';
  }

  test('not a PDF, empty, cut short, no startxref', async () => {
    expect(await refused(randomBytes(200_000))).toBe('not a PDF');
    expect(await refused(new Uint8Array())).toBe('not a PDF');
    const bytes = await flatPdf(PAGES, true);
    expect(await refused(bytes.subarray(0, bytes.byteLength - 2000))).toBe('no startxref');
    expect(await refused(Buffer.from('%PDF-1.7\n%%EOF\nstartxref\n999999\n%%EOF\n'))).toBe('no startxref');
  });

  test('an encrypted PDF', async () => {
    const bytes = await flatPdf(PAGES, false);
    const encrypted = appendUpdate(
      bytes,
      new Map([[90_000, '<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>']]),
      ' /Encrypt 90000 0 R',
    );
    expect(await refused(encrypted)).toMatch(/encrypted|unreadable/);
  });

  test('a root with a kid that is itself a node, a page whose /Parent is elsewhere, duplicate kids, a wrong /Count', async () => {
    const make = async (spoil: (doc: PDFDocument, kids: PDFArray) => void) => {
      const doc = await PDFDocument.load(await flatPdf(300, false));
      spoil(doc, doc.catalog.Pages().Kids());
      return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
    };
    const nested = await make((doc, kids) => {
      const node = doc.context.register(doc.context.obj({ Type: 'Pages', Kids: [], Count: 0 }));
      kids.push(node);
      doc.catalog.Pages().set(PDFName.of('Count'), PDFNumber.of(kids.size()));
    });
    expect(await refused(nested)).toBe('not flat');
    // Page 8 names the catalog as its /Parent (written over the bytes, same length: pdf-lib would set it back).
    const flat = latin1(await flatPdf(300, false));
    const catalog = /\/Root (\d+) 0 R/.exec(flat)?.[1] ?? '';
    let seen = 0;
    const elsewhere = flat.replace(/\/Parent (\d+) 0 R/g, (all: string) =>
      ++seen === 8 ? `/Parent ${catalog} 0 R`.padEnd(all.length, ' ') : all,
    );
    expect(await refused(Buffer.from(elsewhere, 'latin1'))).toBe('not flat');
    const twice = await make((doc, kids) => {
      kids.set(5, kids.get(4));
    });
    expect(await refused(twice)).toBe('duplicate kid');
    const miscounted = await make((doc) => doc.catalog.Pages().set(PDFName.of('Count'), PDFNumber.of(5000)));
    expect(await refused(miscounted)).toBe('count disagrees');
  });

  test('a deep chain of /Pages nodes and a huge /Kids array are refused without walking them', async () => {
    // 20,000 nested nodes under the root, then one page: no recursion, no walk.
    const deep = (() => {
      const objects: string[] = ['<< /Type /Catalog /Pages 2 0 R >>'];
      const levels = 20_000;
      for (let i = 0; i < levels; i++)
        objects.push(`<< /Type /Pages /Count 1 /Kids [${i + 3} 0 R]${i === 0 ? '' : ` /Parent ${i + 1} 0 R`} >>`);
      objects.push(`<< /Type /Page /Parent ${levels + 1} 0 R /MediaBox [0 0 10 10] >>`);
      return classicPdf(objects);
    })();
    expect(await refused(deep)).toMatch(/small or balanced|not flat/);
    // 200,000 kids that point nowhere.
    const kids = Array.from({ length: 200_000 }, (_, i) => `${i + 3} 0 R`).join(' ');
    const huge = classicPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Count 200000 /Kids [${kids}] >>`]);
    expect(await refused(huge)).toBe('too many pages');
  });

  test('a file that shows pdf-lib other kids than pdf.js sees through its xref is caught by the check with pdf.js', async () => {
    const bytes = await flatPdf(300, false);
    const text = latin1(bytes);
    const rootRef = /\/Pages (\d+) 0 R/.exec(text)?.[1];
    const root = new RegExp(`\\n${rootRef} 0 obj\\n(<<[\\s\\S]*?>>)\\nendobj`).exec(text)?.[1] ?? '';
    const kids =
      /\/Kids \[([^\]]*)\]/
        .exec(root)?.[1]
        ?.trim()
        .split(/ (?=\d+ 0 R)/) ?? [];
    expect(kids).toHaveLength(300);
    // The root node again after %%EOF, kids reversed, in no cross-reference section: pdf-lib (reading front to
    // back) takes it, pdf.js (reading by the xref) never sees it.
    const decoy = `\n${rootRef} 0 obj\n${root.replace(/\/Kids \[[^\]]*\]/, `/Kids [${[...kids].reverse().join(' ')}]`)}\nendobj\n`;
    const startxref = text.slice(text.lastIndexOf('startxref'));
    const confusing = withUpdate(bytes, Buffer.from(`${decoy}${startxref}`, 'latin1'));
    expect(await refused(confusing)).toMatch(/^pdf\.js disagrees/);
  });
});

/** A PDF with a classic xref table made of `objects` (numbered from 1; the first is the catalog). */
function classicPdf(objects: string[]): Uint8Array {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
