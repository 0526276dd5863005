import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTestCa, type ServerCert } from './tls-ca';

/**
 * A loopback HTTPS OParl server for tests and benchmarks. It serves
 *  - the real public fixtures in ../shared/fixtures/oparl (OParl 1.0 and 1.1 spec examples under
 *    /spec/1.0/ and /spec/1.1/, the System and Body objects of 29 German endpoints under /fx/<host>/…),
 *    with their real URLs rewritten to this server; and
 *  - a generated OParl 1.1 body for size under /gen/ (default 5,000 papers, 500 meetings with 19
 *    agenda items each, two files per paper and per meeting, 100 objects per page), with
 *    `modified_since`, deleted objects, file bytes (small real PDFs) and ALLRIS-style web pages.
 * Misbehaviours of real servers can be switched on per test through `misbehave`.
 */

export type GeneratedList = 'paper' | 'meeting' | 'organization' | 'person' | 'file';

/** What touch() changes besides the modified stamp. */
export interface ObjectChanges {
  name?: string;
  /** A meeting moved by this many minutes. */
  shiftMinutes?: number;
  /** A meeting's new place (its location's description). */
  location?: string;
  cancelled?: boolean;
}

export interface OparlMisbehaviour {
  /** An empty modified_since window is answered 404 with an error body instead of an empty list. */
  emptyWindow404?: boolean;
  /** Deleted stubs carry no `type`. */
  deletedWithoutType?: boolean;
  /** Some string fields are "N/A" or blank. */
  naStrings?: boolean;
  /** Paper.auxiliaryFile is a single object instead of an array. */
  auxiliaryFileAsObject?: boolean;
  /** Raw control characters (tab, newline, U+0001) inside JSON strings of paper names. */
  controlChars?: boolean;
  /** File.mimeType is "pdf". */
  mimeTypePdf?: boolean;
  /** File.downloadUrl is "". */
  emptyDownloadUrl?: boolean;
  /** File.size is 0. */
  sizeZero?: boolean;
  /** Files carry neither size nor checksums. */
  noSizeOrChecksum?: boolean;
  /** A percent-encoded modified_since is answered 400. */
  rejectEncodedModifiedSince?: boolean;
  /** This page of this list is not valid JSON. */
  invalidJsonPage?: { list: GeneratedList; page: number };
  /** This paper (index) claims to be a Meeting. */
  wrongTypePaper?: number;
  /** This page of this list is a 50 MB response. */
  hugePage?: { list: GeneratedList; page: number };
  /** links.next of `fromPage` points back to `toPage`. */
  nextCycle?: { list: GeneratedList; fromPage: number; toPage: number };
  /**
   * Object GETs and file downloads of the generated body redirect: to the same origin, to another one,
   * to http on the same port (which also answers https), or to the port that speaks only http.
   */
  redirect?: 'same-origin' | 'other-origin' | 'http' | 'http-only';
  /** These files' bytes do not match their checksums. */
  badChecksumFiles?: number[];
  /** These files claim to be PDFs but are HTML (their checksums match the HTML). */
  notPdfFiles?: number[];
  /** Requests to this list never get an answer. */
  stallList?: GeneratedList;
  /**
   * This page of this list fails the next `times` times it is asked for (default once), then answers
   * normally again. A list page without `page` is page 1. How it fails (`kind`, default 'status'):
   * 'status' answers `status` (default 500); 'reset' drops the connection without an answer (a
   * keep-alive connection the server closed); 'cut' sends the headers and half the body, then drops the
   * connection; 'stall' never answers (an overloaded server).
   */
  errorPage?: {
    list: GeneratedList;
    page: number;
    status?: number;
    times?: number;
    retryAfter?: string;
    kind?: 'status' | 'reset' | 'cut' | 'stall';
  };
  /** The body list (/bodies) answers the one Body object instead of a list (seen on SD.NET servers). */
  bodyListAsObject?: boolean;
  /**
   * The generated system publishes http:// ids and list URLs (the system URL itself stays https):
   * 'dual' on the server's own port, which answers https and http alike (most such servers do);
   * 'http-only' on a second port that speaks nothing but http.
   */
  httpIds?: 'dual' | 'http-only';
  /** https answers set a cookie (a client must never send it back, least of all over http). */
  setCookie?: boolean;
  /** Every answer waits this long first (a remote server's round trip). */
  latencyMs?: number;
  /** List pages link each other by an opaque cursor instead of page=N (no page numbers to predict). */
  opaqueNextLinks?: boolean;
  /** Files' accessUrl and downloadUrl use a vendor's download path instead of …/file/N/content. */
  fileUrlStyle?: 'allris' | 'sessionnet' | 'somacos-oparl' | 'sdnet';
}

export interface OparlServerOptions {
  papers?: number;
  meetings?: number;
  organizations?: number;
  persons?: number;
  pageSize?: number;
  itemsPerMeeting?: number;
  cert?: ServerCert;
  fixturesDir?: string;
  /** Every answer waits this long first (a remote server's round trip); also misbehave.latencyMs. */
  latencyMs?: number;
  /** Listen on this port (a server that comes back where it was stopped; pass its `cert` too). Default: a free one. */
  port?: number;
}

export interface FixtureSystem {
  slug: string;
  systemUrl: string;
  bodyName: string | undefined;
}

export interface GeneratedBody {
  systemUrl: string;
  bodyUrl: string;
  base: string;
  papers: number;
  meetings: number;
  files: number;
  lists: Record<GeneratedList, string>;
  paperUrl(n: number): string;
  meetingUrl(n: number): string;
  fileUrl(n: number): string;
  paperWebUrl(n: number): string;
  meetingWebUrl(n: number): string;
  /** File numbers of a meeting and of the papers on its agenda. */
  filesOfMeeting(m: number): number[];
  papersOfMeeting(m: number): number[];
  meetingStart(m: number): Date;
  fileBytes(n: number): Buffer;
  fileAccessUrl(n: number): string;
  fileDownloadUrl(n: number): string;
  /** A vendor-shaped download URL of file n (served by the test server whatever fileUrlStyle says). */
  vendorDownloadUrl(style: 'allris' | 'sessionnet' | 'somacos-oparl' | 'sdnet', n: number): string;
}

export interface OparlTestServer {
  port: number;
  /** https://127.0.0.1:port — the same port also answers plain http (like most servers). */
  origin: string;
  /** http://127.0.0.1:httpOnlyPort — a second port that speaks only plain http. */
  httpOnlyOrigin: string;
  cert: ServerCert;
  caPem: string;
  generated: GeneratedBody;
  spec: { '1.0': string; '1.1': string };
  fixtureSystems: FixtureSystem[];
  misbehave: OparlMisbehaviour;
  /** Requests answered or pending since start (or the last reset). */
  readonly requests: number;
  readonly requestLog: readonly string[];
  /** Headers of the requests that arrived over plain http (to prove no credentials or cookies go there). */
  readonly plainHttpHeaders: ReadonlyArray<Record<string, string | string[] | undefined>>;
  /** Most requests the server was answering at the same time since start (or the last reset). */
  readonly maxConcurrent: number;
  resetRequests(): void;
  /** Mark a generated object modified now. */
  /** Marks an object modified (now); a meeting may also move (`shiftMinutes`), change its room or be cancelled. */
  touch(list: 'paper' | 'meeting', n: number, changes?: ObjectChanges): void;
  /** Delete a generated object (it stays in lists as a deleted stub). */
  remove(list: 'paper' | 'meeting', n: number): void;
  /** Drop a generated object without a trace (no deleted stub; some servers do that). */
  vanish(list: 'paper' | 'meeting', n: number): void;
  /** Undo every touch(), remove() and vanish(). */
  resetChanges(): void;
  stop(): Promise<void>;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** ../shared/fixtures/oparl beside the repository (found from this file, or from the working directory). */
export function oparlFixturesDir(): string {
  const env = process.env.RATSDESK_OPARL_FIXTURES;
  if (env) return env;
  const candidates = [
    resolve(HERE, '../../../shared/fixtures/oparl'),
    resolve(process.cwd(), '../shared/fixtures/oparl'),
  ];
  return candidates.find((c) => existsSync(join(c, 'README.md'))) ?? (candidates[0] as string);
}

const T0 = '2025-01-01T08:00:00+01:00';
const T0_MS = Date.parse(T0);

const LIST_TYPE: Record<string, string> = {
  organization: 'Organization',
  person: 'Person',
  meeting: 'Meeting',
  paper: 'Paper',
  file: 'File',
  agendaItem: 'AgendaItem',
  consultation: 'Consultation',
  locationList: 'Location',
  membership: 'Membership',
  legislativeTermList: 'LegislativeTerm',
};

type Json = Record<string, unknown>;

/** A small real PDF (one page saying `label`), padded with a comment to about `size` bytes. */
function makePdf(label: string, size: number): Buffer {
  const content = `BT /F1 24 Tf 72 720 Td (${label.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const fill = Math.max(0, size - 700);
  for (let i = 0; i < fill; i += 80) out += `%${'x'.repeat(Math.min(78, fill - i))}\n`;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const NOT_PDF = (n: number) => Buffer.from(`<!doctype html><html><body>Sitzung abgelaufen (${n})</body></html>`);

const SUBJECTS = [
  'Bebauungsplan Nr. 12 „Am Mühlenbach“ – Aufstellungsbeschluss',
  'Haushaltssatzung und Haushaltsplan für das Jahr',
  'Sanierung der Grundschule Lindenstraße',
  'Anfrage zur Radwegeverbindung Innenstadt – Bahnhof',
  'Antrag: Klimaschutzkonzept fortschreiben',
  'Neubau Feuerwehrgerätehaus Nord',
  'Kita-Bedarfsplanung und Elternbeiträge',
  'Stellenplan der Stadtverwaltung',
  'Verkehrsberuhigung Schulstraße',
  'Jahresabschluss der Stadtwerke',
];
const COMMITTEES = [
  'Rat der Stadt',
  'Haupt- und Finanzausschuss',
  'Ausschuss für Stadtentwicklung und Umwelt',
  'Schulausschuss',
  'Jugendhilfeausschuss',
  'Bau- und Verkehrsausschuss',
];

class Generated implements GeneratedBody {
  readonly files: number;
  private readonly meetingsOfPaper: Array<Array<[number, number]>>;
  private readonly modified = new Map<string, { at: number } & ObjectChanges>();
  private readonly deleted = new Map<string, number>();
  private readonly fileCache = new Map<number, { bytes: Buffer; sha1: string; sha512: string }>();
  private readonly today: number;

  constructor(
    readonly origin: string,
    readonly papers: number,
    readonly meetings: number,
    readonly organizations: number,
    readonly persons: number,
    readonly itemsPerMeeting: number,
    readonly misbehave: OparlMisbehaviour,
    readonly httpOnlyOrigin = origin.replace('https:', 'http:'),
  ) {
    this.files = 2 * papers + 2 * meetings;
    this.meetingsOfPaper = Array.from({ length: papers }, () => []);
    for (let m = 0; m < meetings; m++) {
      for (const [i, p] of this.papersOfMeeting(m).entries()) this.meetingsOfPaper[p]?.push([m, i]);
    }
    const now = new Date();
    this.today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  }

  /** Where ids and lists live: the https origin, or http (misbehave.httpIds). */
  get objectOrigin(): string {
    if (this.misbehave.httpIds === 'dual') return this.origin.replace('https:', 'http:');
    if (this.misbehave.httpIds === 'http-only') return this.httpOnlyOrigin;
    return this.origin;
  }
  get base(): string {
    return `${this.objectOrigin}/gen/oparl/v1.1`;
  }
  /** The system URL is always https (as policy requires); what it links to may not be. */
  get systemUrl(): string {
    return `${this.origin}/gen/oparl/v1.1/system`;
  }
  get bodyUrl(): string {
    return `${this.base}/body/1`;
  }
  get lists(): Record<GeneratedList, string> {
    return {
      paper: `${this.bodyUrl}/papers`,
      meeting: `${this.bodyUrl}/meetings`,
      organization: `${this.bodyUrl}/organizations`,
      person: `${this.bodyUrl}/persons`,
      file: `${this.bodyUrl}/files`,
    };
  }

  paperUrl = (n: number) => `${this.base}/paper/${n}`;
  meetingUrl = (n: number) => `${this.base}/meeting/${n}`;
  fileUrl = (n: number) => `${this.base}/file/${n}`;
  fileAccessUrl = (n: number) => this.vendorFileUrl(n) ?? `${this.base}/file/${n}/content`;
  fileDownloadUrl = (n: number) => this.vendorFileUrl(n) ?? `${this.base}/file/${n}/download`;

  /**
   * Download paths shaped like the vendors' public ones (all serve file n):
   *  ALLRIS net      …/bi/oparl/1.0/download.asp?dtyp=130&id=N
   *  SessionNet      …/bi/getfile.php?id=N&type=do
   *  Somacos OParl   …/oparl/bodies/0001/downloadfiles/a/0000000N.pdf
   *  SD.NET RIM      …/rim4550/sdnetrim/<token>/Vorlage_N.pdf
   */
  vendorDownloadUrl(style: NonNullable<OparlMisbehaviour['fileUrlStyle']>, n: number): string {
    const root = `${this.objectOrigin}/gen`;
    switch (style) {
      case 'allris':
        return `${root}/bi/oparl/1.0/download.asp?dtyp=130&id=${n}`;
      case 'sessionnet':
        return `${root}/bi/getfile.php?id=${n}&type=do`;
      case 'somacos-oparl':
        return `${root}/oparl/bodies/0001/downloadfiles/a/${String(n).padStart(8, '0')}.pdf`;
      case 'sdnet':
        return `${root}/rim4550/sdnetrim/${Buffer.from(`UGhVM0hp-${n}`).toString('base64url')}/Vorlage_${n}.pdf`;
    }
  }

  private vendorFileUrl(n: number): string | undefined {
    const style = this.misbehave.fileUrlStyle;
    return style ? this.vendorDownloadUrl(style, n) : undefined;
  }

  /** The file number a vendor download path stands for, or undefined. */
  fileOfVendorPath(path: string, query: URLSearchParams): number | undefined {
    let m: RegExpExecArray | null;
    if (path === '/gen/bi/oparl/1.0/download.asp' || path === '/gen/bi/getfile.php') {
      const id = query.get('id') ?? '';
      return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
    }
    if ((m = /^\/gen\/oparl\/bodies\/0001\/downloadfiles\/a\/(\d{1,9})\.pdf$/.exec(path))) return Number(m[1]);
    if ((m = /^\/gen\/rim4550\/sdnetrim\/([\w-]{1,80})\/[\w.-]{1,80}$/.exec(path))) {
      const token = Buffer.from(m[1] as string, 'base64url').toString('latin1');
      const n = /^UGhVM0hp-(\d{1,9})$/.exec(token)?.[1];
      return n === undefined ? undefined : Number(n);
    }
    return undefined;
  }
  paperWebUrl = (n: number) => `${this.origin}/gen/bi/vo020.asp?VOLFDNR=${100_000 + n}`;
  meetingWebUrl = (n: number) => `${this.origin}/gen/bi/to010.asp?SILFDNR=${200_000 + n}`;

  papersOfMeeting(m: number): number[] {
    if (this.papers === 0) return [];
    return Array.from({ length: this.itemsPerMeeting }, (_, i) => (10 * m + i) % this.papers);
  }

  filesOfMeeting(m: number): number[] {
    const files = [2 * this.papers + 2 * m, 2 * this.papers + 2 * m + 1];
    for (const p of this.papersOfMeeting(m)) files.push(2 * p, 2 * p + 1);
    return [...new Set(files)];
  }

  /** Half the meetings lie in the past, half in the future (relative to today), at 17:00 UTC. */
  meetingStart(m: number): Date {
    return new Date(this.today + (m - Math.floor(this.meetings / 2)) * 86_400_000 + 17 * 3_600_000);
  }

  fileEntry(n: number): { bytes: Buffer; sha1: string; sha512: string } {
    const notPdf = (this.misbehave.notPdfFiles ?? []).includes(n);
    let e = notPdf ? undefined : this.fileCache.get(n);
    if (!e) {
      const bytes = notPdf ? NOT_PDF(n) : makePdf(`Ratsdesk Testdatei ${n}`, 3000 + ((n * 7919) % 9000));
      e = {
        bytes,
        sha1: createHash('sha1').update(bytes).digest('hex'),
        sha512: createHash('sha512').update(bytes).digest('hex'),
      };
      if (!notPdf) this.fileCache.set(n, e);
    }
    return e;
  }

  fileBytes(n: number): Buffer {
    return this.fileEntry(n).bytes;
  }

  private key(list: string, n: number): string {
    return `${list}/${n}`;
  }

  touch(list: 'paper' | 'meeting', n: number, changes: ObjectChanges = {}): void {
    this.modified.set(this.key(list, n), { at: Date.now(), ...changes });
  }

  remove(list: 'paper' | 'meeting', n: number): void {
    this.deleted.set(this.key(list, n), Date.now());
  }

  readonly vanished = new Set<string>();

  vanish(list: 'paper' | 'meeting', n: number): void {
    this.vanished.add(this.key(list, n));
  }

  isVanished(list: string, n: number): boolean {
    return this.vanished.size > 0 && this.vanished.has(this.key(list, n));
  }

  resetChanges(): void {
    this.modified.clear();
    this.deleted.clear();
    this.vanished.clear();
  }

  modifiedAt(list: string, n: number): number {
    return this.deleted.get(this.key(list, n)) ?? this.modified.get(this.key(list, n))?.at ?? T0_MS;
  }

  private stamps(list: string, n: number): Json {
    const at = this.modifiedAt(list, n);
    return { created: T0, modified: at === T0_MS ? T0 : new Date(at).toISOString() };
  }

  private deletedStub(list: string, type: string, n: number, url: string): Json | null {
    if (!this.deleted.has(this.key(list, n))) return null;
    const stub: Json = { id: url, deleted: true, ...this.stamps(list, n) };
    if (!this.misbehave.deletedWithoutType) stub.type = `https://schema.oparl.org/1.1/${type}`;
    return stub;
  }

  file(n: number, name: string): Json {
    const mb = this.misbehave;
    const e = this.fileEntry(n);
    const f: Json = {
      id: this.fileUrl(n),
      type: 'https://schema.oparl.org/1.1/File',
      name,
      fileName: `datei-${n}.pdf`,
      mimeType: mb.mimeTypePdf ? 'pdf' : 'application/pdf',
      date: '2025-01-01',
      accessUrl: this.fileAccessUrl(n),
      downloadUrl: mb.emptyDownloadUrl ? '' : this.fileDownloadUrl(n),
      created: T0,
      modified: T0,
    };
    if (!mb.noSizeOrChecksum) {
      f.size = mb.sizeZero ? 0 : e.bytes.length;
      f.sha1Checksum = e.sha1;
      f.sha512Checksum = e.sha512;
    }
    return f;
  }

  organization(n: number): Json {
    return {
      id: `${this.base}/organization/${n}`,
      type: 'https://schema.oparl.org/1.1/Organization',
      body: this.bodyUrl,
      name: COMMITTEES[n % COMMITTEES.length] + (n >= COMMITTEES.length ? ` ${n}` : ''),
      organizationType: 'Gremium',
      classification: n === 0 ? 'Rat' : 'Ausschuss',
      meeting: `${this.base}/organization/${n}/meetings`,
      created: T0,
      modified: T0,
    };
  }

  person(n: number): Json {
    return {
      id: `${this.base}/person/${n}`,
      type: 'https://schema.oparl.org/1.1/Person',
      body: this.bodyUrl,
      name: `Ratsmitglied ${n}`,
      familyName: `Mitglied${n}`,
      givenName: 'Ratsmitglied',
      membership: [
        {
          id: `${this.base}/membership/${n}`,
          type: 'https://schema.oparl.org/1.1/Membership',
          organization: `${this.base}/organization/${n % Math.max(1, this.organizations)}`,
          role: 'Mitglied',
          votingRight: true,
        },
      ],
      created: T0,
      modified: T0,
    };
  }

  paper(n: number): Json {
    const url = this.paperUrl(n);
    const stub = this.deletedStub('paper', 'Paper', n, url);
    if (stub) return stub;
    const mb = this.misbehave;
    const subject = SUBJECTS[n % SUBJECTS.length] as string;
    let name = this.modified.get(this.key('paper', n))?.name ?? `${subject} (Vorlage ${n})`;
    if (mb.controlChars && n % 10 === 3) name = `${name}\u0001\tmit\nSteuerzeichen`;
    const aux = this.file(2 * n + 1, 'Anlage 1');
    const p: Json = {
      id: url,
      type: `https://schema.oparl.org/1.1/${mb.wrongTypePaper === n ? 'Meeting' : 'Paper'}`,
      body: this.bodyUrl,
      name,
      reference: mb.naStrings && n % 7 === 0 ? '' : `VO/2025/${String(n).padStart(4, '0')}`,
      date: '2025-01-01',
      paperType: mb.naStrings && n % 7 === 0 ? 'N/A' : n % 3 === 0 ? 'Anfrage' : 'Beschlussvorlage',
      mainFile: this.file(2 * n, 'Vorlage'),
      auxiliaryFile: mb.auxiliaryFileAsObject ? aux : [aux],
      originatorOrganization: [`${this.base}/organization/${n % Math.max(1, this.organizations)}`],
      consultation: (this.meetingsOfPaper[n] ?? []).map(([m, i]) => ({
        id: `${this.base}/consultation/${m}-${i}`,
        type: 'https://schema.oparl.org/1.1/Consultation',
        paper: url,
        agendaItem: `${this.base}/agendaitem/${m}-${i}`,
        meeting: this.meetingUrl(m),
        organization: [`${this.base}/organization/${m % Math.max(1, this.organizations)}`],
        authoritative: m % Math.max(1, this.organizations) === 0,
        role: m % Math.max(1, this.organizations) === 0 ? 'Entscheidung' : 'Vorberatung',
      })),
      web: this.paperWebUrl(n),
      ...this.stamps('paper', n),
    };
    return p;
  }

  meeting(m: number): Json {
    const url = this.meetingUrl(m);
    const stub = this.deletedStub('meeting', 'Meeting', m, url);
    if (stub) return stub;
    const org = m % Math.max(1, this.organizations);
    const changed = this.modified.get(this.key('meeting', m));
    const start = new Date(this.meetingStart(m).getTime() + (changed?.shiftMinutes ?? 0) * 60_000);
    const past = start.getTime() < Date.now();
    return {
      id: url,
      type: 'https://schema.oparl.org/1.1/Meeting',
      name:
        this.modified.get(this.key('meeting', m))?.name ??
        `${Math.floor(m / Math.max(1, this.organizations)) + 1}. Sitzung ${COMMITTEES[org % COMMITTEES.length]}`,
      meetingState: past ? 'durchgeführt' : 'eingeladen',
      cancelled: changed?.cancelled ?? false,
      start: start.toISOString(),
      end: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
      location: {
        id: `${this.base}/location/${org}`,
        type: 'https://schema.oparl.org/1.1/Location',
        description: changed?.location ?? `Rathaus, Sitzungssaal ${org + 1}`,
        room: `Saal ${org + 1}`,
        streetAddress: 'Marktplatz 1',
        locality: 'Beispielstadt',
      },
      organization: [`${this.base}/organization/${org}`],
      invitation: this.file(2 * this.papers + 2 * m, 'Einladung'),
      auxiliaryFile: [this.file(2 * this.papers + 2 * m + 1, 'Nachtrag zur Tagesordnung')],
      agendaItem: this.papersOfMeeting(m).map((p, i) => ({
        id: `${this.base}/agendaitem/${m}-${i}`,
        type: 'https://schema.oparl.org/1.1/AgendaItem',
        meeting: url,
        number: `${i + 1}`,
        order: i,
        name: `${SUBJECTS[p % SUBJECTS.length]} (Vorlage ${p})`,
        public: i % 5 !== 4,
        consultation: `${this.base}/consultation/${m}-${i}`,
      })),
      web: this.meetingWebUrl(m),
      ...this.stamps('meeting', m),
    };
  }

  count(list: GeneratedList): number {
    switch (list) {
      case 'paper':
        return this.papers;
      case 'meeting':
        return this.meetings;
      case 'organization':
        return this.organizations;
      case 'person':
        return this.persons;
      case 'file':
        return this.files;
    }
  }

  item(list: GeneratedList, n: number): Json {
    switch (list) {
      case 'paper':
        return this.paper(n);
      case 'meeting':
        return this.meeting(n);
      case 'organization':
        return this.organization(n);
      case 'person':
        return this.person(n);
      case 'file':
        return this.file(n, `Datei ${n}`);
    }
  }

  body(): Json {
    return {
      id: this.bodyUrl,
      type: 'https://schema.oparl.org/1.1/Body',
      system: this.systemUrl,
      name: 'Stadt Beispielstadt (Testsystem)',
      shortName: 'Beispielstadt',
      website: `${this.origin}/gen/bi/`,
      ags: '05999000',
      organization: this.lists.organization,
      person: this.lists.person,
      meeting: this.lists.meeting,
      paper: this.lists.paper,
      file: this.lists.file,
      legislativeTerm: [
        {
          id: `${this.base}/term/1`,
          type: 'https://schema.oparl.org/1.1/LegislativeTerm',
          name: 'Wahlperiode 2025–2030',
          startDate: '2025-11-01',
          endDate: '2030-10-31',
        },
      ],
      web: `${this.origin}/gen/bi/`,
      created: T0,
      modified: T0,
    };
  }

  system(): Json {
    return {
      id: this.systemUrl,
      type: 'https://schema.oparl.org/1.1/System',
      oparlVersion: 'https://schema.oparl.org/1.1/',
      body: `${this.base}/bodies`,
      name: 'Ratsdesk OParl-Testsystem',
      website: `${this.origin}/gen/bi/`,
      created: T0,
      modified: T0,
    };
  }
}

interface Rewritten {
  objects: Map<string, Json>;
  lists: Map<string, Json[]>;
}

function walkObjects(value: unknown, visit: (o: Json) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walkObjects(v, visit);
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Json;
    if (typeof o.id === 'string' && typeof o.type === 'string') visit(o);
    for (const v of Object.values(o)) walkObjects(v, visit);
  }
}

function loadFixtures(
  dir: string,
  origin: string,
): { data: Rewritten; systems: FixtureSystem[]; spec: { '1.0': string; '1.1': string } } {
  const objects = new Map<string, Json>();
  const lists = new Map<string, Json[]>();
  const keyOf = (url: string) => new URL(url).pathname + new URL(url).search;
  const add = (o: Json, top: boolean) => {
    const k = keyOf(o.id as string);
    if (top || !objects.has(k)) objects.set(k, o);
  };

  // Spec examples: https://oparl.example.org/ → /spec/<version>/
  const spec = { '1.0': '', '1.1': '' };
  for (const version of ['1.0', '1.1'] as const) {
    const exDir = join(dir, 'spec', version, 'examples');
    const prefix = `${origin}/spec/${version}/`;
    const parsed = readdirSync(exDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map(
        (f) =>
          JSON.parse(readFileSync(join(exDir, f), 'utf8').replaceAll('https://oparl.example.org/', prefix)) as Json,
      );
    for (const o of parsed) add(o, true);
    for (const o of parsed) walkObjects(o, (x) => add(x, false));
    const system = parsed.find((o) => String(o.type).endsWith('/System')) as Json;
    const body = parsed.find((o) => String(o.type).endsWith('/Body')) as Json;
    spec[version] = system.id as string;
    lists.set(keyOf(system.body as string), [body]);
    for (const [field, type] of Object.entries(LIST_TYPE)) {
      const listUrl = body[field];
      if (typeof listUrl !== 'string') continue;
      const members = [...objects.entries()]
        .filter(([k, o]) => k.startsWith(`/spec/${version}/`) && String(o.type).endsWith(`/${type}`))
        .map(([, o]) => o);
      lists.set(keyOf(listUrl), members);
    }
  }

  // Real endpoints: https://host/… → https://loopback/fx/host/…, and http://host/… → http://loopback/fx/host/…
  // (a few real systems publish http URLs; the loopback port answers both, as those servers do).
  const systems: FixtureSystem[] = [];
  const sysDir = join(dir, 'servers', 'systems');
  for (const f of readdirSync(sysDir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const rawSystem = JSON.parse(readFileSync(join(sysDir, f), 'utf8')) as Json;
    const bodyFile = join(dir, 'servers', 'bodies', f);
    const hosts = new Set<string>([new URL(rawSystem.id as string).host]);
    const rewrite = (text: string) => {
      let out = text;
      for (const h of hosts) {
        out = out.replaceAll(`https://${h}/`, `${origin}/fx/${h}/`);
        out = out.replaceAll(`http://${h}/`, `${origin.replace('https:', 'http:')}/fx/${h}/`);
      }
      return out;
    };
    const system = JSON.parse(rewrite(JSON.stringify(rawSystem))) as Json;
    add(system, true);
    let bodyName: string | undefined;
    const bodies: Json[] = [];
    if (existsSync(bodyFile)) {
      const body = JSON.parse(rewrite(readFileSync(bodyFile, 'utf8'))) as Json;
      add(body, true);
      walkObjects(body, (x) => add(x, false));
      bodies.push(body);
      bodyName = typeof body.name === 'string' ? body.name : undefined;
      for (const field of Object.keys(LIST_TYPE)) {
        if (typeof body[field] === 'string') lists.set(keyOf(body[field] as string), []);
      }
    }
    if (typeof system.body === 'string') lists.set(keyOf(system.body), bodies);
    systems.push({ slug: f.replace(/\.json$/, ''), systemUrl: system.id as string, bodyName });
  }
  return { data: { objects, lists }, systems, spec };
}

function listPage(items: Json[], page: number, pageSize: number, pageUrl: (p: number) => string): Json {
  const totalPages = Math.max(1, Math.ceil(items.length / pageSize));
  const links: Json = { first: pageUrl(1), last: pageUrl(totalPages) };
  if (page > 1) links.prev = pageUrl(page - 1);
  if (page < totalPages) links.next = pageUrl(page + 1);
  return {
    data: items.slice((page - 1) * pageSize, page * pageSize),
    pagination: { totalElements: items.length, elementsPerPage: pageSize, currentPage: page, totalPages },
    links,
  };
}

export async function startOparlServer(options: OparlServerOptions = {}): Promise<OparlTestServer> {
  const ownCert = options.cert === undefined;
  const cert = options.cert ?? makeTestCa(['localhost'], ['127.0.0.1']);
  const pageSize = options.pageSize ?? 100;
  const misbehave: OparlMisbehaviour = {};
  let requests = 0;
  let concurrent = 0;
  let maxConcurrent = 0;
  const requestLog: string[] = [];
  const stalled = new Set<ServerResponse>();
  let stopping: Promise<void> | undefined;

  const plainHttpHeaders: Array<Record<string, string | string[] | undefined>> = [];
  // Counted per errorPage setting (a new setting starts again at zero).
  const errorPageServed = new WeakMap<object, number>();

  // One https server and one plain http server, neither listening itself: a front on the main port
  // hands each connection to one of them by its first byte (0x16 opens a TLS handshake), so that port
  // answers https and http alike, as most real servers do; a second front speaks only http.
  const server: Server = createServer({ key: cert.keyPem, cert: cert.certPem, keepAliveTimeout: 30_000 });
  const plain: HttpServer = createHttpServer({ keepAliveTimeout: 30_000 });
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const front: NetServer = createNetServer((socket) => {
    track(socket);
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? server : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  const httpOnlyFront: NetServer = createNetServer((socket) => {
    track(socket);
    plain.emit('connection', socket);
  });
  const listen = (s: NetServer, wanted = 0) =>
    new Promise<number>((res, rej) => {
      s.once('error', rej);
      s.listen(wanted, '127.0.0.1', () => {
        const address = s.address();
        if (typeof address !== 'object' || address === null) rej(new Error('OParl test server has no address'));
        else res(address.port);
      });
    });
  const port = await listen(front, options.port);
  const httpOnlyPort = await listen(httpOnlyFront);
  const origin = `https://127.0.0.1:${port}`;
  const httpOnlyOrigin = `http://127.0.0.1:${httpOnlyPort}`;
  const gen = new Generated(
    origin,
    options.papers ?? 5000,
    options.meetings ?? 500,
    options.organizations ?? 20,
    options.persons ?? 200,
    options.itemsPerMeeting ?? 19,
    misbehave,
    httpOnlyOrigin,
  );
  const fixtures = loadFixtures(options.fixturesDir ?? oparlFixturesDir(), origin);

  const sendJson = (res: ServerResponse, status: number, value: unknown, transform?: (s: string) => string) => {
    let text = JSON.stringify(value);
    if (transform) text = transform(text);
    const body = Buffer.from(text, 'utf8');
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  };
  const rawControlChars = (s: string) =>
    s
      .replace(/\\u0001/g, '\u0001')
      .replace(/\\t/g, '\t')
      .replace(/\\n/g, '\n');

  const sendHuge = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    res.write('{"data":[],"padding":"');
    const pump = () => {
      while (sent < 50) {
        sent++;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end('"}');
    };
    res.on('error', () => undefined);
    pump();
  };

  const redirectTarget = (path: string): string | null => {
    switch (misbehave.redirect) {
      case 'same-origin':
        return `${origin}/redirected${path}`;
      case 'other-origin':
        return `https://localhost:${port}${path}`;
      case 'http':
        return `http://127.0.0.1:${port}/redirected${path}`;
      case 'http-only':
        return `${httpOnlyOrigin}/redirected${path}`;
      default:
        return null;
    }
  };

  const handleGenerated = (req: IncomingMessage, res: ServerResponse, url: URL, rawQuery: string): void => {
    const path = url.pathname.replace(/^\/redirected/, '');
    const base = '/gen/oparl/v1.1';
    const vendorFile = gen.fileOfVendorPath(path, url.searchParams);
    if (vendorFile !== undefined) {
      if (vendorFile >= gen.files) return notFound(res);
      const bytes = gen.fileBytes(vendorFile);
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': bytes.length,
        'content-disposition': `attachment; filename="Vorlage_${vendorFile}.pdf"`,
      });
      res.end(bytes);
      return;
    }
    // ALLRIS-style web pages of the generated body.
    if (path === '/gen/bi/vo020.asp' || path === '/gen/bi/to010.asp' || path.startsWith('/gen/bi/')) {
      const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Ratsinformation</title></head><body><h1>Ratsinformation Beispielstadt</h1><p>${url.search.replace(/[<>&"]/g, '')}</p></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    if (!path.startsWith(base)) return notFound(res);
    const rest = path.slice(base.length);
    if (rest === '/system') return sendJson(res, 200, gen.system());
    if (rest === '/bodies' && misbehave.bodyListAsObject) return sendJson(res, 200, gen.body());
    if (rest === '/bodies')
      return sendJson(
        res,
        200,
        listPage([gen.body()], 1, pageSize, () => `${gen.base}/bodies`),
      );
    if (rest === '/body/1') return sendJson(res, 200, gen.body());

    const listMatch = /^\/body\/1\/(papers|meetings|organizations|persons|files)$/.exec(rest);
    if (listMatch) {
      const list = (listMatch[1] as string).replace(/s$/, '') as GeneratedList;
      if (misbehave.stallList === list) {
        stalled.add(res);
        return;
      }
      const rawSince = /(?:^|&)modified_since=([^&]*)/.exec(rawQuery)?.[1];
      if (rawSince !== undefined && misbehave.rejectEncodedModifiedSince && rawSince.includes('%')) {
        return sendJson(res, 400, { error: 'modified_since: invalid date' });
      }
      const since = rawSince !== undefined ? Date.parse(decodeURIComponent(rawSince).replace(' ', '+')) : undefined;
      if (since !== undefined && Number.isNaN(since))
        return sendJson(res, 400, { error: 'modified_since: invalid date' });
      const cursor = url.searchParams.get('cursor');
      const pageParam =
        cursor !== null ? Buffer.from(cursor, 'base64url').toString('latin1').slice(5) : url.searchParams.get('page');
      const page = Math.max(1, Number(pageParam ?? '1') || 1);
      // Opaque links (a cursor instead of page=N): nothing to predict, a client must follow `next`.
      const pageRef = (p: number) =>
        misbehave.opaqueNextLinks ? `cursor=${Buffer.from(`page-${p}`).toString('base64url')}` : `page=${p}`;
      const failing = misbehave.errorPage;
      if (failing?.list === list && failing.page === page) {
        const served = errorPageServed.get(failing) ?? 0;
        if (served < (failing.times ?? 1)) {
          errorPageServed.set(failing, served + 1);
          if (failing.kind === 'stall') {
            stalled.add(res);
            return;
          }
          if (failing.kind === 'reset') {
            req.socket.destroy();
            return;
          }
          if (failing.kind === 'cut') {
            const body = '{"data":[' + '{"id":"x"},'.repeat(200);
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length * 2) });
            res.write(body, () => req.socket.destroy());
            return;
          }
          res.writeHead(failing.status ?? 500, {
            'content-type': 'text/html; charset=utf-8',
            ...(failing.retryAfter ? { 'retry-after': failing.retryAfter } : {}),
          });
          res.end('<html><body><h1>Server Error</h1><p>Die Anfrage konnte nicht bearbeitet werden.</p></body></html>');
          return;
        }
      }
      if (misbehave.hugePage?.list === list && misbehave.hugePage.page === page) return sendHuge(res);
      if (misbehave.invalidJsonPage?.list === list && misbehave.invalidJsonPage.page === page) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":[{"id":"https://x/1","type":"https://schema.oparl.org/1.1/Paper",');
        return;
      }
      const total = gen.count(list);
      if (since === undefined) {
        // Unfiltered: build only the requested page (fast path for large lists).
        const items: Json[] = [];
        const from = (page - 1) * pageSize;
        for (let n = from; n < Math.min(total, from + pageSize); n++)
          if (!gen.isVanished(list, n)) items.push(gen.item(list, n));
        const pageUrl = (p: number) => `${gen.lists[list]}?${pageRef(p)}`;
        const out = listPage([], 1, pageSize, pageUrl);
        const totalPages = Math.max(1, Math.ceil(total / pageSize));
        out.data = items;
        out.pagination = { totalElements: total, elementsPerPage: pageSize, currentPage: page, totalPages };
        const links: Json = { first: pageUrl(1), last: pageUrl(totalPages) };
        if (page > 1) links.prev = pageUrl(page - 1);
        if (page < totalPages) links.next = pageUrl(page + 1);
        out.links = links;
        cycle(out, list, page, pageUrl);
        return sendJson(res, 200, out, misbehave.controlChars ? rawControlChars : undefined);
      }
      const all: Json[] = [];
      for (let n = 0; n < total; n++) {
        if (gen.modifiedAt(list, n) >= since && !gen.isVanished(list, n)) all.push(gen.item(list, n));
      }
      if (all.length === 0 && misbehave.emptyWindow404) {
        return sendJson(res, 404, { error: { code: 'NO_ITEMS', message: 'Keine Objekte gefunden' } });
      }
      const pageUrl = (p: number) => `${gen.lists[list]}?modified_since=${rawSince}&${pageRef(p)}`;
      const out = listPage(all, page, pageSize, pageUrl);
      cycle(out, list, page, pageUrl);
      return sendJson(res, 200, out, misbehave.controlChars ? rawControlChars : undefined);
    }

    const objMatch = /^\/(paper|meeting|file|organization|person)\/(\d+)(\/content|\/download)?$/.exec(rest);
    if (objMatch) {
      const list = objMatch[1] as GeneratedList;
      const n = Number(objMatch[2]);
      if (n >= gen.count(list) || gen.isVanished(list, n)) return notFound(res);
      const target = url.pathname.startsWith('/redirected') ? null : redirectTarget(path + url.search);
      if (target) {
        res.writeHead(302, { location: target, 'content-length': 0 });
        res.end();
        return;
      }
      if (objMatch[3]) {
        if (list !== 'file') return notFound(res);
        let bytes = gen.fileBytes(n);
        if ((misbehave.badChecksumFiles ?? []).includes(n)) {
          bytes = Buffer.from(bytes);
          bytes[bytes.length - 10] = 0x21;
        }
        const notPdf = (misbehave.notPdfFiles ?? []).includes(n);
        res.writeHead(200, {
          'content-type': notPdf ? 'text/html; charset=utf-8' : 'application/pdf',
          'content-length': bytes.length,
        });
        res.end(bytes);
        return;
      }
      return sendJson(res, 200, gen.item(list, n));
    }
    return notFound(res);
  };

  const cycle = (out: Json, list: GeneratedList, page: number, pageUrl: (p: number) => string) => {
    const c = misbehave.nextCycle;
    if (c && c.list === list && c.fromPage === page) (out.links as Json).next = pageUrl(c.toPage);
  };

  const notFound = (res: ServerResponse) => sendJson(res, 404, { error: 'not found' });

  const onRequest = (req: IncomingMessage, res: ServerResponse, secure: boolean) => {
    requests++;
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    // Answered once the whole answer is handed to the socket ('prefinish', emitted by end()); waiting for
    // 'finish' would overlap the client's next request, which may arrive before the write callback.
    let counted = true;
    const done = () => {
      if (counted) concurrent--;
      counted = false;
    };
    res.once('prefinish', done);
    res.once('close', done);
    const rawUrl = req.url ?? '/';
    requestLog.push(rawUrl);
    if (!secure) plainHttpHeaders.push({ ...req.headers });
    else if (misbehave.setCookie) res.setHeader('set-cookie', 'ASP.NET_SessionId=ratsdesk-test; path=/; HttpOnly');
    const latency = misbehave.latencyMs ?? options.latencyMs ?? 0;
    if (latency > 0) {
      const timer = setTimeout(() => answer(req, res, rawUrl), latency);
      res.once('close', () => clearTimeout(timer));
    } else answer(req, res, rawUrl);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, rawUrl: string) => {
    const rawQuery = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
    let url: URL;
    try {
      url = new URL(rawUrl, origin);
    } catch {
      return notFound(res);
    }
    try {
      if (url.pathname.startsWith('/gen/') || url.pathname.startsWith('/redirected/gen/')) {
        return handleGenerated(req, res, url, rawQuery);
      }
      const key = url.pathname + url.search;
      const list = fixtures.data.lists.get(key);
      if (list)
        return sendJson(
          res,
          200,
          listPage(list, 1, Math.max(1, list.length), () => `${origin}${key}`),
        );
      const obj = fixtures.data.objects.get(key);
      if (obj) return sendJson(res, 200, obj);
      return notFound(res);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => onRequest(req, res, true));
  plain.on('request', (req: IncomingMessage, res: ServerResponse) => onRequest(req, res, false));

  return {
    port,
    origin,
    httpOnlyOrigin,
    cert,
    caPem: cert.caPem,
    generated: gen,
    spec: fixtures.spec,
    fixtureSystems: fixtures.systems,
    misbehave,
    get requests() {
      return requests;
    },
    get requestLog() {
      return requestLog;
    },
    get plainHttpHeaders() {
      return plainHttpHeaders;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    resetRequests() {
      requests = 0;
      maxConcurrent = concurrent;
      requestLog.length = 0;
      plainHttpHeaders.length = 0;
    },
    touch: (list, n, changes) => gen.touch(list, n, changes),
    remove: (list, n) => gen.remove(list, n),
    vanish: (list, n) => gen.vanish(list, n),
    resetChanges: () => gen.resetChanges(),
    stop() {
      // Idempotent: a test may stop the server mid-way and its afterAll again.
      stopping ??= (async () => {
        for (const res of stalled) res.destroy();
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        plain.closeAllConnections();
        await Promise.all([front, httpOnlyFront].map((f) => new Promise<void>((r) => f.close(() => r()))));
        if (ownCert) rmSync(cert.dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

export interface OparlServerProcess {
  port: number;
  origin: string;
  caPem: string;
  /** URL helpers of the generated body (computed here; the data is served by the child). */
  generated: GeneratedBody;
  requests(): Promise<number>;
  resetRequests(): Promise<void>;
  stop(): Promise<void>;
}

type ChildMessage =
  { op: 'ready'; port: number; origin: string; caPem: string } | { op: 'requests'; value: number } | { op: 'ok' };

/**
 * The same server in a child process (for benchmarks: a remote RIS does not share our event loop).
 * The child is this file bundled with esbuild into a temporary folder.
 */
export async function startOparlServerProcess(
  options: Omit<OparlServerOptions, 'cert'> = {},
): Promise<OparlServerProcess> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-oparl-child-'));
  const script = join(dir, 'oparl-child.mjs');
  // This file, also when bundled elsewhere (bench/results/.build): look upwards for the repository.
  let serverModule = fileURLToPath(import.meta.url);
  for (let d = HERE; !serverModule.endsWith('.ts'); d = dirname(d)) {
    const candidate = join(d, 'test/servers/oparl-server.ts');
    if (existsSync(candidate)) serverModule = candidate;
    else if (dirname(d) === d) serverModule = resolve(process.cwd(), 'test/servers/oparl-server.ts');
  }
  await build({
    stdin: {
      contents: `
        import { startOparlServer } from ${JSON.stringify(serverModule)};
        const server = await startOparlServer(JSON.parse(process.argv[2]));
        process.send({ op: 'ready', port: server.port, origin: server.origin, caPem: server.caPem });
        process.on('message', async (m) => {
          if (m.op === 'requests') process.send({ op: 'requests', value: server.requests });
          else if (m.op === 'reset') { server.resetRequests(); process.send({ op: 'ok' }); }
          else if (m.op === 'stop') { await server.stop(); process.send({ op: 'ok' }); process.exit(0); }
        });`,
      resolveDir: dir,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'error',
  });
  const fixturesDir = options.fixturesDir ?? oparlFixturesDir();
  const child = fork(script, [JSON.stringify({ ...options, fixturesDir })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: Array<(m: ChildMessage) => void> = [];
  child.on('message', (m: ChildMessage) => waiters.shift()?.(m));
  const next = () => new Promise<ChildMessage>((res) => waiters.push(res));
  const ready = await Promise.race([
    next(),
    new Promise<never>((_, rej) =>
      child.once('exit', (code) => rej(new Error(`OParl server child exited with ${code}`))),
    ),
  ]);
  if (ready.op !== 'ready') throw new Error('OParl server child did not start');
  const ask = async (op: string): Promise<ChildMessage> => {
    const answer = next();
    child.send({ op });
    return answer;
  };
  const generated = new Generated(
    ready.origin,
    options.papers ?? 5000,
    options.meetings ?? 500,
    options.organizations ?? 20,
    options.persons ?? 200,
    options.itemsPerMeeting ?? 19,
    {},
  );
  return {
    port: ready.port,
    origin: ready.origin,
    caPem: ready.caPem,
    generated,
    async requests() {
      const m = await ask('requests');
      return m.op === 'requests' ? m.value : -1;
    },
    async resetRequests() {
      await ask('reset');
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        await ask('stop');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
