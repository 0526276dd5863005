import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFPageLeaf, PDFRef } from 'pdf-lib';
import { loadPdfJs } from './pdf-text-extraction';

/**
 * A balanced page tree for a PDF whose pages all hang under one /Pages node (#15 target 3).
 *
 * Why: LibreOffice, Ghostscript and pdf-lib write every page as a kid of the root /Pages node. pdf.js, before
 * it hands out a document, walks that node's kids to find page 1 and again to check the last page, fetching
 * (and, in object streams, parsing) every page dictionary on the way: for 2,000 pages that is ~125 ms of CPU,
 * five times the 200-page file's, whatever the file's size. With the kids grouped into nodes of
 * `NODE_KIDS` pdf.js skips whole nodes by their /Count and fetches a few dozen dictionaries instead.
 *
 * How: an incremental update (PDF 32000-1 §7.5.6) computed once when the document is cached, kept encrypted
 * beside it, and appended only *virtually* when the viewer reads the document by ranges: the stored bytes, a
 * save-as and every checksum stay the original. The update adds the new intermediate /Pages nodes, a new
 * root /Pages node over them, a new catalog (the old one's entries with /Pages replaced) and a classic
 * cross-reference section whose trailer names the new catalog and points with /Prev to the file's last
 * cross-reference section (a table or a stream: pdf.js follows /Prev through both).
 *
 * The pages themselves are not rewritten: their /Parent still names the old root node, which stays in the
 * file unchanged. pdf.js reads inherited attributes (/Resources, /MediaBox, /CropBox, /Rotate) by walking a
 * page's /Parent chain, and a page's index (links, outline entries, named destinations: `getPageIndex`) by
 * counting the kids before it in its /Parent — both still find the old root, which holds every page in the
 * original order, so both answer as before. Only pdf.js's descent from the catalog (page n, the page count)
 * goes through the new nodes, which never serve as anyone's /Parent and so need no inheritable attributes.
 *
 * Anything unusual gets no update (the viewer reads the file as before): not a PDF, encrypted, a root node
 * with kids that are not pages (already a tree), a page whose /Parent is not the root, duplicate kids, a
 * /Count that disagrees, more than `MAX_PAGES` pages, a file larger than `MAX_INPUT_BYTES`, or pdf.js seeing
 * different pages through the update than pdf-lib found (checked on sample pages before the update is kept).
 * The caller bounds the whole computation with the document worker's deadline.
 */

/** The root node needs more kids than this for an update to pay (pdf.js walks a few hundred in a few ms). */
export const PAGE_TREE_MIN_KIDS = 256;
/** Kids per new node: pdf.js fetches at most this many dictionaries per level on its way to a page. */
export const PAGE_TREE_NODE_KIDS = 32;
/** More pages than this: refused (pdf.js's own page limit is far above; this bounds the work and the update). */
export const PAGE_TREE_MAX_PAGES = 100_000;
/** Larger files are not parsed for an update (pdf-lib reads the whole file: ~3 ms per MB). */
export const PAGE_TREE_MAX_INPUT_BYTES = 512 * 1024 * 1024;
/** The file's last `startxref` must be within this many bytes of its end (PDF 32000-1 asks for the last 1024). */
const TAIL_SEARCH_BYTES = 4096;
/** A trailer or xref stream dictionary is read from its first this many bytes. */
const SECTION_DICT_BYTES = 8192;
/** Pages pdf.js is asked for through the update to check it (spread over the document, first and last included). */
const VERIFY_SAMPLES = 16;

export type PageTreeUpdate =
  | {
      kind: 'update';
      /** The bytes to append (virtually) after the document's own bytes. */
      update: Uint8Array;
      pages: number;
      /** New /Pages nodes written (the new root included). */
      nodes: number;
    }
  | { kind: 'none'; reason: string };

const noUpdate = (reason: string): PageTreeUpdate => ({ kind: 'none', reason });

/** The byte offset the last `startxref` of `bytes` names, or undefined. */
export function lastStartXref(bytes: Uint8Array): number | undefined {
  const from = Math.max(0, bytes.byteLength - TAIL_SEARCH_BYTES);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + from, bytes.byteLength - from).toString('latin1');
  const at = tail.lastIndexOf('startxref');
  if (at < 0) return undefined;
  const match = /^startxref[\s]+(\d{1,12})\s/.exec(tail.slice(at, at + 40));
  const offset = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return Number.isSafeInteger(offset) && offset < bytes.byteLength ? offset : undefined;
}

/**
 * The /Size of the cross-reference section at `at` (a table's trailer, or an xref stream's dictionary): new objects
 * take numbers from there. pdf-lib's largest object number does not count the file's xref and object streams,
 * and an update that reused one of their numbers would hide the objects inside them from pdf.js.
 */
export function sectionSize(bytes: Uint8Array, at: number): number | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = buffer.toString('latin1', at, Math.min(bytes.byteLength, at + 16));
  let dictFrom: number;
  if (/^\s*xref\b/.test(head)) {
    dictFrom = buffer.indexOf('trailer', at, 'latin1');
    if (dictFrom < 0) return undefined;
  } else if (/^\s*\d+\s+\d+\s+obj\b/.test(head)) dictFrom = at;
  else return undefined;
  const window = buffer.toString('latin1', dictFrom, Math.min(bytes.byteLength, dictFrom + SECTION_DICT_BYTES));
  const end = window.indexOf('stream');
  const size = /\/Size\s+(\d{1,9})\b/.exec(end < 0 ? window : window.slice(0, end))?.[1];
  return size === undefined ? undefined : Number(size);
}

/** The object `ref` points to (`lookup` that never throws on a missing object). */
function resolved(doc: PDFDocument, ref: PDFRef): unknown {
  return doc.context.lookup(ref);
}

function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** A pdf-lib object serialized as it is written in a file. */
function serialized(object: PDFDict): Buffer {
  const out = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

interface Plan {
  /** Kid lists of the new nodes, bottom level first; the last one is the new root. Refs are object numbers. */
  nodes: { number: number; kids: string[]; count: number; parent?: number }[];
  root: number;
}

/** Groups `leaves` into nodes of NODE_KIDS, level by level, until one node holds the rest: the new root. */
function plan(leaves: string[], firstNumber: number): Plan {
  const nodes: Plan['nodes'] = [];
  let next = firstNumber;
  let level = leaves.map((ref) => ({ ref, count: 1, index: -1 }));
  for (;;) {
    if (level.length <= PAGE_TREE_NODE_KIDS) {
      const root = { number: next++, kids: level.map((k) => k.ref), count: level.reduce((n, k) => n + k.count, 0) };
      for (const k of level) if (k.index >= 0) (nodes[k.index] as Plan['nodes'][number]).parent = root.number;
      nodes.push(root);
      return { nodes, root: root.number };
    }
    const up: typeof level = [];
    for (let i = 0; i < level.length; i += PAGE_TREE_NODE_KIDS) {
      const group = level.slice(i, i + PAGE_TREE_NODE_KIDS);
      const node = { number: next++, kids: group.map((k) => k.ref), count: group.reduce((n, k) => n + k.count, 0) };
      for (const k of group) if (k.index >= 0) (nodes[k.index] as Plan['nodes'][number]).parent = node.number;
      nodes.push(node);
      up.push({ ref: `${node.number} 0 R`, count: node.count, index: nodes.length - 1 });
    }
    level = up;
  }
}

/**
 * Computes the balanced-page-tree update for `bytes` (pdf-lib parses; the new objects and the cross-reference
 * section are written here), without checking it with pdf.js: see `pageTreeUpdate`.
 */
export async function buildPageTreeUpdate(bytes: Uint8Array): Promise<PageTreeUpdate> {
  return (await build(bytes)).result;
}

/** `buildPageTreeUpdate`, with the pages' references as pdf-lib found them (for the check with pdf.js). */
async function build(bytes: Uint8Array): Promise<{ result: PageTreeUpdate; leaves: PDFRef[] }> {
  const none = (reason: string) => ({ result: noUpdate(reason), leaves: [] });
  if (bytes.byteLength > PAGE_TREE_MAX_INPUT_BYTES) return none('too large');
  if (Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(1024, bytes.byteLength)).indexOf('%PDF-') < 0)
    return none('not a PDF');
  const prev = lastStartXref(bytes);
  if (prev === undefined) return none('no startxref');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, {
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
      throwOnInvalidObject: true,
    });
  } catch (err) {
    return none(`unreadable: ${err instanceof Error ? err.name : 'error'}`);
  }
  const { trailerInfo } = doc.context;
  if (trailerInfo.Encrypt) return none('encrypted');
  if (!(trailerInfo.Root instanceof PDFRef)) return none('no catalog');
  const catalog = resolved(doc, trailerInfo.Root);
  if (!(catalog instanceof PDFDict)) return none('no catalog');
  const pagesRef = catalog.get(PDFName.of('Pages'));
  if (!(pagesRef instanceof PDFRef)) return none('no page tree');
  const pages = resolved(doc, pagesRef);
  if (!(pages instanceof PDFDict) || pages.get(PDFName.of('Parent')) !== undefined) return none('no page tree');
  const kids = pages.get(PDFName.of('Kids'));
  const count = pages.get(PDFName.of('Count'));
  if (!(kids instanceof PDFArray) || !(count instanceof PDFNumber)) return none('no page tree');
  if (kids.size() <= PAGE_TREE_MIN_KIDS) return none('small or balanced');
  if (kids.size() > PAGE_TREE_MAX_PAGES) return none('too many pages');
  if (count.asNumber() !== kids.size()) return none('count disagrees');
  const leaves: string[] = [];
  const leafRefs: PDFRef[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < kids.size(); i++) {
    const kid = kids.get(i);
    if (!(kid instanceof PDFRef)) return none('kid not a reference');
    const ref = kid.toString();
    if (seen.has(ref)) return none('duplicate kid');
    seen.add(ref);
    const page = resolved(doc, kid);
    // A leaf whose /Parent is this root: its inherited attributes and its index stay found through that root.
    if (!(page instanceof PDFPageLeaf) || page.get(PDFName.of('Parent')) !== pagesRef) return none('not flat');
    leaves.push(ref);
    leafRefs.push(kid);
  }

  const size = sectionSize(bytes, prev);
  if (size === undefined) return none('no trailer size');
  const layout = plan(leaves, Math.max(size, doc.context.largestObjectNumber + 1));
  const catalogNumber = layout.root + 1;
  const newCatalog = catalog.clone(doc.context);
  newCatalog.set(PDFName.of('Pages'), PDFRef.of(layout.root));

  const parts: Buffer[] = [bytesOf('\n')];
  let offset = bytes.byteLength + 1;
  const offsets = new Map<number, number>();
  const add = (number: number, body: Buffer) => {
    const part = Buffer.concat([bytesOf(`${number} 0 obj\n`), body, bytesOf('\nendobj\n')]);
    offsets.set(number, offset);
    parts.push(part);
    offset += part.byteLength;
  };
  for (const node of layout.nodes) {
    const parent = node.parent === undefined ? '' : ` /Parent ${node.parent} 0 R`;
    add(node.number, bytesOf(`<< /Type /Pages${parent} /Count ${node.count} /Kids [${node.kids.join(' ')}] >>`));
  }
  add(catalogNumber, serialized(newCatalog));

  const first = (layout.nodes[0] as Plan['nodes'][number]).number;
  const xrefAt = offset;
  let xref = `xref\n0 1\n0000000000 65535 f\r\n${first} ${catalogNumber - first + 1}\n`;
  for (let n = first; n <= catalogNumber; n++) xref += `${String(offsets.get(n)).padStart(10, '0')} 00000 n\r\n`;
  const trailer = new Map<string, string>([
    ['Size', String(catalogNumber + 1)],
    ['Root', `${catalogNumber} 0 R`],
    ['Prev', String(prev)],
  ]);
  if (trailerInfo.Info instanceof PDFRef) trailer.set('Info', trailerInfo.Info.toString());
  if (trailerInfo.ID instanceof PDFArray) trailer.set('ID', trailerInfo.ID.toString());
  const entries = [...trailer].map(([k, v]) => `/${k} ${v}`).join(' ');
  parts.push(bytesOf(`${xref}trailer\n<< ${entries} >>\nstartxref\n${xrefAt}\n%%EOF\n`));
  return {
    result: { kind: 'update', update: Buffer.concat(parts), pages: leaves.length, nodes: layout.nodes.length },
    leaves: leafRefs,
  };
}

/** Pages 1, 2, …, n checked: first, last and evenly between. */
function samplePages(count: number): number[] {
  const picks = new Set<number>([1, count]);
  for (let i = 1; i < VERIFY_SAMPLES - 1; i++) picks.add(1 + Math.floor((i * (count - 1)) / (VERIFY_SAMPLES - 1)));
  return [...picks].sort((a, b) => a - b);
}

/** pdf.js's page object (number and generation) for each of `pages` (1-based) of `data`, and its page count. */
async function pdfjsPageRefs(
  data: Uint8Array,
  pages: readonly number[],
): Promise<{ numPages: number; refs: string[] }> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    useWasm: false,
    stopAtErrors: true,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const refs: string[] = [];
    for (const n of pages) {
      if (n > doc.numPages) break;
      const page = await doc.getPage(n);
      refs.push(page.ref ? `${page.ref.num} ${page.ref.gen} R` : '');
      page.cleanup();
    }
    return { numPages: doc.numPages, refs };
  } finally {
    await task.destroy();
  }
}

/**
 * The balanced-page-tree update for `bytes`, checked with pdf.js (the viewer's reader): with the update appended
 * it must count the same pages and find the same page objects at sample places (first, last, evenly between) as it
 * does in the file alone. pdf-lib reads a file from front to back, pdf.js by its cross-reference sections: a file
 * built to show each of them other pages gets no update. Does not take ownership of `bytes`.
 */
export async function pageTreeUpdate(bytes: Uint8Array): Promise<PageTreeUpdate> {
  const { result: built, leaves } = await build(bytes);
  if (built.kind === 'none') return built;
  const samples = samplePages(built.pages);
  try {
    // pdf.js takes the buffers it is given (it moves them to its worker): copies.
    const before = await pdfjsPageRefs(bytes.slice(), samples);
    const after = await pdfjsPageRefs(withUpdateAppended(bytes, built.update), samples);
    const expected = samples.map((n) => leaves[n - 1]?.toString() ?? '');
    if (before.numPages !== built.pages || after.numPages !== built.pages) return noUpdate('pdf.js disagrees: count');
    if (before.refs.join() !== expected.join() || after.refs.join() !== expected.join())
      return noUpdate('pdf.js disagrees: pages');
    return built;
  } catch (err) {
    return noUpdate(`pdf.js refused: ${err instanceof Error ? err.name : 'error'}`);
  }
}

/** The document as the viewer reads it: its bytes, then the update. */
function withUpdateAppended(bytes: Uint8Array, update: Uint8Array): Uint8Array {
  const combined = new Uint8Array(bytes.byteLength + update.byteLength);
  combined.set(bytes, 0);
  combined.set(update, bytes.byteLength);
  return combined;
}
