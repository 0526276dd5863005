import { z } from 'zod';
import { RatsdeskError } from '../../contract/errors';

/**
 * Zod schemas for OParl 1.0 and 1.1 objects, with tolerant preprocessors for what real servers send:
 * "N/A" and blank strings (→ absent), a single object where an array belongs (→ [object]), mimeType
 * "pdf" (→ application/pdf), size 0 (→ unknown), empty URLs (→ absent), deleted stubs without type.
 * Unknown fields are dropped; the output types are what the rest of Ratsdesk works with. Papers, meetings
 * and what they embed (thousands per import) hold only the fields Ratsdesk stores or shows: a field no one
 * reads is not validated either (the import's profile had validation at a quarter of the client's CPU).
 * Add a field here when a feature starts to read it.
 */

const PLACEHOLDER = /^(n\/?a|null|undefined|-|–|keine angabe)$/i;

/** Control characters other than tab and line feed (carriage returns become line feeds first). */
// eslint-disable-next-line no-control-regex -- these are exactly the characters to find
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F]/;
// eslint-disable-next-line no-control-regex -- see above
const CONTROL_CHARS_ALL = /[\u0000-\u0008\u000B-\u001F]/g;
const CARRIAGE_RETURNS = /\r\n?/g;

/**
 * Text as it may be stored and shown: broken servers send raw control characters (U+0001…U+001F) in
 * names; they would end up in titles and search snippets. Tab and line feed stay, CR/CRLF become LF.
 */
export function withoutControlChars(text: string): string {
  if (!CONTROL_CHARS.test(text)) return text;
  return text.replace(CARRIAGE_RETURNS, '\n').replace(CONTROL_CHARS_ALL, '');
}

/**
 * One pass over a freshly parsed JSON value, before validation: strings are trimmed and cleaned of
 * control characters; "N/A", blank strings and nulls are removed, so the schemas below see them as
 * absent. Mutates its argument (the caller's own parse result) and returns it.
 */
export function removePlaceholders<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      value[i] = typeof v === 'string' ? withoutControlChars(v) : removePlaceholders(v);
    }
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (v === null) delete o[k];
      else if (typeof v === 'string') {
        const t = withoutControlChars(v).trim();
        if (t === '' || (t.length <= 14 && PLACEHOLDER.test(t))) delete o[k];
        else if (t !== v) o[k] = t;
      } else if (typeof v === 'object') removePlaceholders(v);
    }
  }
  return value;
}

/** An optional string; anything else (a number, an object) reads as absent. */
const text = z.string().max(100_000).optional().catch(undefined);

/** An optional http(s) URL; anything else means absent. */
const url = z
  .string()
  .regex(/^https?:\/\/\S+$/i)
  .optional()
  .catch(undefined);

/** A required object id (a URL). */
const id = z.string().regex(/^https?:\/\/\S+$/i, 'id must be a URL');

const bool = z.boolean().optional().catch(undefined);

/** A positive byte size; 0, negatives and garbage mean unknown. */
const size = z.number().int().positive().optional().catch(undefined);

const MIME_BY_SHORT_NAME: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
  html: 'text/html',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

const mimeType = z
  .string()
  .transform((s) => {
    const lower = s.toLowerCase();
    return lower.includes('/') ? (lower.split(';')[0] ?? lower).trim() : MIME_BY_SHORT_NAME[lower.replace(/^\./, '')];
  })
  .optional()
  .catch(undefined);

const hex = (len: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${len}}$`))
    .transform((s) => s.toLowerCase())
    .optional()
    .catch(undefined);

/** An array that some servers send as a single value, null or omit; invalid entries are dropped. */
function list<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(item.optional().catch(undefined))
      .transform((arr) => arr.filter((x): x is NonNullable<typeof x> => x !== undefined && x !== null)),
  );
}

/** Either a reference (URL) or an embedded object. */
function ref<T extends z.ZodType>(obj: T) {
  return z.union([z.string().regex(/^https?:\/\/\S+$/i), obj]);
}

function optionalRef<T extends z.ZodType>(obj: T) {
  return ref(obj).optional().catch(undefined);
}

const common = {
  id,
  type: text,
  web: url,
  created: text,
  modified: text,
  deleted: bool,
};

export const FileSchema = z.object({
  ...common,
  name: text,
  fileName: text,
  mimeType,
  date: text,
  size,
  sha1Checksum: hex(40),
  sha512Checksum: hex(128),
  text: text,
  accessUrl: url,
  downloadUrl: url,
});
export type OparlFile = z.infer<typeof FileSchema>;

export const LocationSchema = z.object({
  ...common,
  description: text,
  streetAddress: text,
  room: text,
  postalCode: text,
  locality: text,
});
export type OparlLocation = z.infer<typeof LocationSchema>;

export const ConsultationSchema = z.object({
  ...common,
  agendaItem: url,
  meeting: url,
  organization: list(z.string()),
  authoritative: bool,
  role: text,
});
export type OparlConsultation = z.infer<typeof ConsultationSchema>;

export const AgendaItemSchema = z.object({
  ...common,
  number: text,
  name: text,
  public: bool,
  consultation: url,
  result: text,
  resolutionFile: optionalRef(FileSchema),
  auxiliaryFile: list(ref(FileSchema)),
});
export type OparlAgendaItem = z.infer<typeof AgendaItemSchema>;

export const MeetingSchema = z.object({
  ...common,
  name: text,
  meetingState: text,
  cancelled: bool,
  start: text,
  end: text,
  location: optionalRef(LocationSchema),
  organization: list(z.string()),
  invitation: optionalRef(FileSchema),
  resultsProtocol: optionalRef(FileSchema),
  verbatimProtocol: optionalRef(FileSchema),
  auxiliaryFile: list(ref(FileSchema)),
  agendaItem: list(ref(AgendaItemSchema)),
});
export type OparlMeeting = z.infer<typeof MeetingSchema>;

export const PaperSchema = z.object({
  ...common,
  name: text,
  reference: text,
  date: text,
  paperType: text,
  mainFile: optionalRef(FileSchema),
  auxiliaryFile: list(ref(FileSchema)),
  consultation: list(ref(ConsultationSchema)),
});
export type OparlPaper = z.infer<typeof PaperSchema>;

export const MembershipSchema = z.object({
  ...common,
  person: url,
  organization: url,
  role: text,
  votingRight: bool,
  startDate: text,
  endDate: text,
});

export const PersonSchema = z.object({
  ...common,
  name: text,
  familyName: text,
  givenName: text,
  formOfAddress: text,
  affix: text,
  title: list(z.string()),
  gender: text,
  status: list(z.string()),
  membership: list(ref(MembershipSchema)),
});
export type OparlPerson = z.infer<typeof PersonSchema>;

export const OrganizationSchema = z.object({
  ...common,
  body: url,
  name: text,
  shortName: text,
  organizationType: text,
  classification: text,
  startDate: text,
  endDate: text,
  meeting: url,
  membership: list(z.string()),
});
export type OparlOrganization = z.infer<typeof OrganizationSchema>;

export const LegislativeTermSchema = z.object({
  ...common,
  name: text,
  startDate: text,
  endDate: text,
});

export const BodySchema = z.object({
  ...common,
  system: url,
  name: text,
  shortName: text,
  website: url,
  ags: text,
  rgs: text,
  contactEmail: text,
  contactName: text,
  classification: text,
  organization: url,
  person: url,
  meeting: url,
  paper: url,
  file: url,
  agendaItem: url,
  consultation: url,
  locationList: url,
  membership: url,
  legislativeTerm: list(ref(LegislativeTermSchema)),
  location: optionalRef(LocationSchema),
});
export type OparlBody = z.infer<typeof BodySchema>;

export const SystemSchema = z.object({
  ...common,
  oparlVersion: text,
  body: url,
  name: text,
  contactEmail: text,
  contactName: text,
  website: url,
  vendor: url,
  product: url,
  otherOparlVersions: list(z.string()),
});
export type OparlSystem = z.infer<typeof SystemSchema>;

export const oparlSchemas = {
  System: SystemSchema,
  Body: BodySchema,
  Organization: OrganizationSchema,
  Person: PersonSchema,
  Meeting: MeetingSchema,
  Paper: PaperSchema,
  AgendaItem: AgendaItemSchema,
  Consultation: ConsultationSchema,
  File: FileSchema,
  Location: LocationSchema,
  LegislativeTerm: LegislativeTermSchema,
  Membership: MembershipSchema,
} as const;
export type OparlTypeName = keyof typeof oparlSchemas;
export type OparlObjectOf<T extends OparlTypeName> = z.infer<(typeof oparlSchemas)[T]>;

const TYPE_URL = /^https?:\/\/schema\.oparl\.org\/1\.[01]\/([A-Za-z]+)\/?$/;

/** 'https://schema.oparl.org/1.1/Paper' → 'Paper'; null for anything else. */
export function oparlTypeName(type: unknown): string | null {
  return typeof type === 'string' ? (TYPE_URL.exec(type.trim())?.[1] ?? null) : null;
}

/**
 * Validate one OParl object of the expected type. A present `type` must match (RIS_WRONG_TYPE); a
 * missing `type` is tolerated (deleted stubs of some servers omit it). Invalid: RIS_INVALID_OBJECT.
 */
export function parseOparlObject<T extends OparlTypeName>(expected: T, raw: unknown): OparlObjectOf<T> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RatsdeskError('RIS_INVALID_OBJECT', `${expected}: not an object`);
  }
  const rawType = (raw as { type?: unknown }).type;
  const rawId = (raw as { id?: unknown }).id;
  const where = typeof rawId === 'string' ? rawId.slice(0, 200) : expected;
  if (rawType !== undefined && rawType !== null && rawType !== '') {
    const name = oparlTypeName(rawType);
    if (name !== expected) {
      throw new RatsdeskError('RIS_WRONG_TYPE', `${where}: expected ${expected}, got ${String(rawType).slice(0, 80)}`);
    }
  }
  const parsed = oparlSchemas[expected].safeParse(removePlaceholders(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RatsdeskError(
      'RIS_INVALID_OBJECT',
      `${where}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data as OparlObjectOf<T>;
}
