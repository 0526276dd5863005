import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { RatsdeskError } from '../../contract/errors';
import type { DocumentPreview, PreviewSheet } from '../../contract/documents';
import { checkZipContainer, OFFICE_LIMITS } from './office-limits';

/** The office formats the document worker reads. */
export type OfficeFormat = 'docx' | 'xlsx' | 'csv' | 'text';

const SAFE_IMAGE = /^image\/(png|jpeg|gif|webp)$/;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Text of a plain-text file: UTF-8 (a BOM is dropped), else Windows-1252 (what older German files are). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Word → HTML with mammoth: no external files, only small inline images of safe types. */
async function docxHtml(bytes: Uint8Array): Promise<string> {
  await checkZipContainer(bytes);
  const result = await mammoth.convertToHtml(
    { buffer: asBuffer(bytes) },
    {
      externalFileAccess: false,
      convertImage: mammoth.images.imgElement(async (image) => {
        if (!SAFE_IMAGE.test(image.contentType)) return { src: '' };
        const data = await image.readAsBuffer();
        if (data.byteLength > OFFICE_LIMITS.maxImageBytes) return { src: '' };
        return { src: `data:${image.contentType};base64,${data.toString('base64')}` };
      }),
    },
  );
  if (result.value.length > OFFICE_LIMITS.maxHtmlChars)
    throw new RatsdeskError('DOCUMENT_PREVIEW_REFUSED', `${result.value.length} characters of HTML`);
  return result.value;
}

async function docxText(bytes: Uint8Array): Promise<string> {
  await checkZipContainer(bytes);
  return (await mammoth.extractRawText({ buffer: asBuffer(bytes) })).value;
}

function cellText(value: unknown): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  return text.length > OFFICE_LIMITS.maxCellChars ? `${text.slice(0, OFFICE_LIMITS.maxCellChars)}…` : text;
}

/** A worksheet as bounded rows of shown text. */
function sheetOf(ws: ExcelJS.Worksheet): PreviewSheet {
  const rows: string[][] = [];
  const lastRow = Math.min(ws.rowCount, OFFICE_LIMITS.maxRows);
  const lastColumn = Math.min(ws.columnCount, OFFICE_LIMITS.maxColumns);
  for (let r = 1; r <= lastRow; r++) {
    const row = ws.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= lastColumn; c++) cells.push(cellText(row.getCell(c).text));
    rows.push(cells);
  }
  // Empty cells at the end of every row say nothing: cut them.
  let width = 0;
  for (const r of rows) for (let c = r.length; c > width; c--) if (r[c - 1]) width = c;
  return {
    name: ws.name.slice(0, 200),
    rows: rows.map((r) => r.slice(0, width)),
    moreRows: ws.rowCount > OFFICE_LIMITS.maxRows,
    moreColumns: ws.columnCount > OFFICE_LIMITS.maxColumns,
  };
}

/** Semicolon or comma: what German spreadsheets export, judged by the first line. */
function csvDelimiter(text: string): string {
  const first = text.slice(0, Math.max(0, text.indexOf('\n')) || 4096);
  const count = (ch: string) => first.split(ch).length;
  return count(';') > count(',') ? ';' : count('\t') > count(',') ? '\t' : ',';
}

async function workbookOf(format: 'xlsx' | 'csv', bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  if (format === 'xlsx') {
    await checkZipContainer(bytes);
    await workbook.xlsx.load(asBuffer(bytes) as unknown as ArrayBuffer);
  } else {
    const text = decodeText(bytes);
    await workbook.csv.read(Readable.from([text]), {
      parserOptions: { delimiter: csvDelimiter(text), quote: '"', ignoreEmpty: true },
    });
  }
  return workbook;
}

async function sheets(format: 'xlsx' | 'csv', bytes: Uint8Array): Promise<DocumentPreview> {
  const workbook = await workbookOf(format, bytes);
  const all = workbook.worksheets;
  return {
    kind: 'sheets',
    sheets: all.slice(0, OFFICE_LIMITS.maxSheets).map(sheetOf),
    moreSheets: all.length > OFFICE_LIMITS.maxSheets,
  };
}

/** A read-only preview (runs in the document worker thread). */
export async function officePreview(format: OfficeFormat, bytes: Uint8Array): Promise<DocumentPreview> {
  switch (format) {
    case 'docx':
      return { kind: 'html', html: await docxHtml(bytes) };
    case 'xlsx':
    case 'csv':
      return sheets(format, bytes);
    case 'text': {
      const text = decodeText(bytes);
      const more = text.length > OFFICE_LIMITS.maxTextChars;
      return { kind: 'text', text: more ? text.slice(0, OFFICE_LIMITS.maxTextChars) : text, more };
    }
  }
}

/** The text of an office file for the index, one "page" per sheet (runs in the document worker thread). */
export async function officeText(format: OfficeFormat, bytes: Uint8Array): Promise<string[]> {
  if (format === 'docx') return [await docxText(bytes)];
  if (format === 'text') return [decodeText(bytes)];
  const preview = await sheets(format, bytes);
  if (preview.kind !== 'sheets') return [];
  return preview.sheets.map((s) => [s.name, ...s.rows.map((r) => r.filter(Boolean).join(' '))].join('\n'));
}
