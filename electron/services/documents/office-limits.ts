import yauzl from 'yauzl';
import { RatsdeskError } from '../../contract/errors';

/** Bounds for reading an office file: what a real council document stays far below. */
export const OFFICE_LIMITS = {
  /** Bytes of one office or text file read at all (for a preview or the index; a real one is far smaller). */
  maxFileBytes: 50 * 1024 * 1024,
  /** Entries in the zip container (.docx, .xlsx). */
  maxEntries: 5_000,
  /** Uncompressed bytes of all entries together, as the container declares them. */
  maxUncompressedBytes: 100 * 1024 * 1024,
  /**
   * Declared compression ratio of one entry above 1 MB: deflate bombs sit near its limit of ~1,000:1; office
   * XML, even a sparse sheet, stays far below.
   */
  maxRatio: 500,
  /** Sheets, rows and columns shown of a spreadsheet. */
  maxSheets: 50,
  maxRows: 2_000,
  maxColumns: 100,
  maxCellChars: 2_000,
  /** Characters of HTML and of plain text shown. */
  maxHtmlChars: 8_000_000,
  maxTextChars: 2_000_000,
  /** Bytes of one image embedded into a Word preview (larger ones are left out). */
  maxImageBytes: 4 * 1024 * 1024,
} as const;

const refused = (detail: string) => new RatsdeskError('DOCUMENT_PREVIEW_REFUSED', detail);

/**
 * Checks a zip container's directory before any reader inflates it: the number of entries, the declared
 * uncompressed size and each entry's compression ratio. A zip bomb is refused here, at once. (A container that
 * lies about its sizes is caught by the worker's deadline and heap limit instead.)
 */
export function checkZipContainer(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false },
      (err, zip) => {
        if (err || !zip) {
          reject(new RatsdeskError('DOCUMENT_UNREADABLE', `not a zip container: ${err?.message ?? ''}`.slice(0, 200)));
          return;
        }
        if (zip.entryCount > OFFICE_LIMITS.maxEntries) {
          zip.close();
          reject(refused(`${zip.entryCount} entries`));
          return;
        }
        let total = 0;
        zip.on('entry', (entry: yauzl.Entry) => {
          total += entry.uncompressedSize;
          const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
          const bomb = entry.uncompressedSize > 1024 * 1024 && ratio > OFFICE_LIMITS.maxRatio;
          if (total > OFFICE_LIMITS.maxUncompressedBytes || bomb) {
            zip.close();
            reject(refused(`declares ${total} bytes (ratio ${Math.round(ratio)})`));
            return;
          }
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', (e: Error) =>
          reject(new RatsdeskError('DOCUMENT_UNREADABLE', `zip: ${e.message}`.slice(0, 200))),
        );
        zip.readEntry();
      },
    );
  });
}
