/**
 * Open a cached 10 MB, 200-page PDF to its first rendered page in Chromium (issue 3; target < 300 ms).
 *
 * Real path: the PDF is stored through the real vault (SQLCipher, key from a real Secret Service); the
 * built renderer runs in Debian's Chromium (test/e2e harness); a click on the document in the Documents
 * area asks the vault for it over the contract, pdf.js parses it and draws page 1 to a canvas. Measured
 * inside the page from the click to the renderer's "first page drawn" mark (after the canvas render
 * finished). Median of RUNS opens after one warm-up open.
 *
 * Note: the e2e harness carries bytes over Playwright's exposeBinding as base64 JSON (13 MB of text for
 * 10 MB), which Electron's IPC (structured clone) does not pay; `pdf_bytes_ms` shows that share.
 */
import { loadavg } from 'node:os';
import { startDovecot, stopAndRemove } from '../test/servers/dovecot';
import { startKeyring } from '../test/servers/keyring';
import { startAppHost } from '../test/e2e/harness/app-host';
import { setup as buildRenderer } from '../test/e2e/harness/global-build';
import { makeTestPdf } from '../test/e2e/harness/test-pdf';

const RUNS = 5;
const PDF_BYTES = 10_000_000;
const PDF_PAGES = 200;
const NAME = 'Haushaltsplan 2026 (Entwurf).pdf';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export interface PdfFirstPageFigures {
  pdf_first_page_ms: number;
  /** Share of it until the bytes reached the renderer (vault read + transport). */
  pdf_bytes_ms: number;
  pdf_cold_first_page_ms: number;
  pdf_size_bytes: number;
  pdf_pages: number;
  /** 1-minute load average when done: these machines have 2 cores shared by parallel work. */
  load_avg_1m: number;
}

export async function measurePdfFirstPageFigures(): Promise<PdfFirstPageFigures> {
  const keyring = process.env.DBUS_SESSION_BUS_ADDRESS ? undefined : await startKeyring();
  if (keyring) Object.assign(process.env, keyring.env);
  const user = { user: 'bench', pass: 'Bench-PDF-2026!' };
  const dovecot = await startDovecot({ users: [user] });
  try {
    await buildRenderer();
    const host = await startAppHost({ trust: { extraCaPem: [dovecot.cert.caPem] } });
    try {
      await host.services.handlers.account.connect({
        host: '127.0.0.1',
        port: dovecot.imapsPort,
        security: 'tls',
        username: user.user,
        password: user.pass,
      });
      const bytes = await makeTestPdf({ pages: PDF_PAGES, targetBytes: PDF_BYTES });
      (await host.services.documents()).put({
        bytes,
        name: NAME,
        mimeType: 'application/pdf',
        source: { kind: 'url', ref: 'https://ris.musterstadt.example/files/haushalt-2026.pdf' },
      });
      // A fresh services instance over the same folder: the vault is opened anew, nothing in its page cache.
      await host.restartServices();
      await host.open();
      await host.page.getByRole('button', { name: 'Dokumente' }).click();
      const link = host.page.getByRole('button', { name: NAME, exact: true });
      await link.waitFor();

      const openOnce = async (): Promise<{ total: number; bytes: number }> => {
        const result = await host.page.evaluate(async (name) => {
          // Runs in the page (DOM types are not in this Node project's lib).
          interface Mark {
            startTime: number;
          }
          interface PageGlobals {
            document: { querySelectorAll(s: string): Iterable<{ textContent: string | null; click(): void }> };
            performance: { now(): number; getEntriesByName(n: string): Mark[] };
            PerformanceObserver: new (cb: (list: { getEntriesByName(n: string): Mark[] }) => void) => {
              observe(o: { type: string }): void;
              disconnect(): void;
            };
          }
          const g = globalThis as unknown as PageGlobals;
          const button = [...g.document.querySelectorAll('button')].find((b) => b.textContent === name);
          if (!button) throw new Error('document not listed');
          const done = new Promise<Mark>((resolve) => {
            const observer = new g.PerformanceObserver((list) => {
              const mark = list.getEntriesByName('ratsdesk:pdf-first-page')[0];
              if (mark) {
                observer.disconnect();
                resolve(mark);
              }
            });
            observer.observe({ type: 'mark' });
          });
          const t0 = g.performance.now();
          button.click();
          const mark = await done;
          const bytesMark = g.performance.getEntriesByName('ratsdesk:pdf-bytes').at(-1);
          return { total: mark.startTime - t0, bytes: (bytesMark?.startTime ?? t0) - t0 };
        }, NAME);
        await host.page.getByRole('button', { name: 'Zurück zur Liste' }).click();
        await link.waitFor();
        return result;
      };

      const cold = await openOnce();
      const runs: { total: number; bytes: number }[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await openOnce());
      return {
        pdf_first_page_ms: Math.round(median(runs.map((r) => r.total))),
        pdf_bytes_ms: Math.round(median(runs.map((r) => r.bytes))),
        pdf_cold_first_page_ms: Math.round(cold.total),
        pdf_size_bytes: bytes.byteLength,
        pdf_pages: PDF_PAGES,
        load_avg_1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      };
    } finally {
      await host.close();
    }
  } finally {
    await stopAndRemove(dovecot);
    await keyring?.stop();
  }
}

/** ms from asking for the cached 10 MB, 200-page PDF to its first rendered page (median). */
export async function measurePdfFirstPage(): Promise<number> {
  return (await measurePdfFirstPageFigures()).pdf_first_page_ms;
}

export async function run(): Promise<Record<string, unknown>> {
  const figures = await measurePdfFirstPageFigures();
  return { bench: 'pdf-first-page', ...figures, target_ms: 300, meets_target: figures.pdf_first_page_ms < 300 };
}
