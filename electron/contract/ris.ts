import { z } from 'zod';
import { call, event } from './define';
import { ErrorInfoSchema } from './errors';
import { shownNameSchema } from './file-name';

/** Council information (RIS / OParl): link recognition, paper and meeting views, search, sync, offline. */

const httpsUrl = z
  .string()
  .max(4000)
  .regex(/^https:\/\/\S+$/, 'https URL');
const anyUrl = z
  .string()
  .max(4000)
  .regex(/^https?:\/\/\S+$/, 'URL');

export const RisLinkSchema = z.object({
  product: z.enum(['allris', 'sessionnet', 'sdnet', 'oparl', 'web']),
  kind: z.enum(['paper', 'meeting', 'agendaItem', 'person', 'file', 'page']),
  id: z.string().max(4000),
  url: anyUrl,
});
export type RisLinkInfo = z.infer<typeof RisLinkSchema>;

export const RisFileSchema = z.object({
  id: z.string().max(4000),
  /** mainFile, auxiliaryFile, invitation, resultsProtocol, verbatimProtocol, resolutionFile. */
  role: z.string().max(50),
  name: shownNameSchema(2000),
  fileName: shownNameSchema(2000).nullable(),
  mimeType: z.string().max(200).nullable(),
  size: z.number().int().nonnegative().nullable(),
  /** Document-cache id when the bytes are in the vault. */
  documentId: z.string().nullable(),
});
export type RisFile = z.infer<typeof RisFileSchema>;

export const ConsultationViewSchema = z.object({
  id: z.string(),
  meetingId: z.string().nullable(),
  meetingName: z.string().nullable(),
  meetingStart: z.string().nullable(),
  organizations: z.array(z.string()),
  role: z.string().nullable(),
  authoritative: z.boolean().nullable(),
  agendaItemNumber: z.string().nullable(),
});

export const PaperViewSchema = z.object({
  id: z.string(),
  bodyId: z.string(),
  name: z.string().nullable(),
  reference: z.string().nullable(),
  paperType: z.string().nullable(),
  date: z.string().nullable(),
  web: z.string().nullable(),
  modified: z.string().nullable(),
  consultations: z.array(ConsultationViewSchema),
  files: z.array(RisFileSchema),
  /** Came over plain http from an origin the machine policy allows in clear: the UI says so. */
  insecure: z.boolean(),
});
export type PaperView = z.infer<typeof PaperViewSchema>;

export const AgendaEntrySchema = z.object({
  id: z.string(),
  number: z.string().nullable(),
  name: z.string().nullable(),
  public: z.boolean().nullable(),
  result: z.string().nullable(),
  paperId: z.string().nullable(),
  paperName: z.string().nullable(),
  paperReference: z.string().nullable(),
});

export const MeetingViewSchema = z.object({
  id: z.string(),
  bodyId: z.string(),
  name: z.string().nullable(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  state: z.string().nullable(),
  cancelled: z.boolean(),
  location: z.string().nullable(),
  organizations: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  web: z.string().nullable(),
  agenda: z.array(AgendaEntrySchema),
  files: z.array(RisFileSchema),
  offline: z.enum(['none', 'partial', 'complete']),
  /** Came over plain http from an origin the machine policy allows in clear: the UI says so. */
  insecure: z.boolean(),
});
export type MeetingView = z.infer<typeof MeetingViewSchema>;

export const MeetingSummarySchema = MeetingViewSchema.pick({
  id: true,
  bodyId: true,
  name: true,
  start: true,
  end: true,
  state: true,
  cancelled: true,
  location: true,
});
export type MeetingSummary = z.infer<typeof MeetingSummarySchema>;

export const SearchHitSchema = z.object({
  kind: z.enum(['paper', 'meeting']),
  id: z.string(),
  title: z.string().nullable(),
  /** Reference for papers, start for meetings. */
  subtitle: z.string().nullable(),
  snippet: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** Where a system departs from OParl in a way Ratsdesk tolerates (shown to the person as such). */
export const RisDeviationSchema = z.object({
  /**
   * list-is-object: a list endpoint (e.g. /body) answered one object; http-urls: the system publishes
   * http:// URLs, read over https; http-only: it answers only over http, read in clear as the machine
   * policy allows.
   */
  code: z.enum(['list-is-object', 'http-urls', 'http-only']),
  url: z.string().max(4000),
});
export type RisDeviationInfo = z.infer<typeof RisDeviationSchema>;

export const BodySummarySchema = z.object({
  id: z.string(),
  systemId: z.string(),
  name: z.string().nullable(),
  shortName: z.string().nullable(),
  lastSync: z.string().nullable(),
  /** The system's deviations from OParl, as last seen. */
  deviations: z.array(RisDeviationSchema).max(100),
});

export const OrganizationSummarySchema = z.object({
  id: z.string(),
  bodyId: z.string(),
  name: z.string().nullable(),
  classification: z.string().nullable(),
  chosen: z.boolean(),
});

export const RisObjectErrorSchema = z.object({
  url: z.string().max(4000),
  code: ErrorInfoSchema.shape.code,
  detail: z.string().max(500).optional(),
});

export const SyncReportSchema = z.object({
  bodyId: z.string(),
  mode: z.enum(['full', 'incremental']),
  lists: z.array(
    z.object({
      list: z.string(),
      upserted: z.number().int(),
      deleted: z.number().int(),
      pages: z.number().int(),
      error: ErrorInfoSchema.nullable(),
      /** This list went on from where an earlier sync stopped (not from page one). */
      resumed: z.boolean(),
    }),
  ),
  objectErrors: z.array(RisObjectErrorSchema),
});
export type SyncReportInfo = z.infer<typeof SyncReportSchema>;

export const SyncProgressSchema = z.object({
  bodyId: z.string(),
  list: z.string(),
  pages: z.number().int(),
  objects: z.number().int(),
});

export const OfflineProgressSchema = z.object({
  meetingId: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  state: z.enum(['running', 'complete', 'failed', 'paused']),
});
export type OfflineProgressInfo = z.infer<typeof OfflineProgressSchema>;

export const OfflineResultSchema = z.object({
  meetingId: z.string(),
  total: z.number().int(),
  stored: z.number().int(),
  alreadyPresent: z.number().int(),
  failures: z.array(z.object({ fileId: z.string(), code: ErrorInfoSchema.shape.code, detail: z.string().optional() })),
  pinnedUntil: z.string(),
});

/**
 * The automatic offline pack: the meetings of the person's bodies in the next `days` days (the setting
 * offlinePackDays), how many of them are available offline, and what the background download does now.
 * 'off': the setting is 0 or no body is chosen; 'offline': the council server does not answer (it tries
 * again later); 'locked': paused while the app is locked.
 */
export const OfflinePackSchema = z.object({
  state: z.enum(['off', 'idle', 'running', 'offline', 'locked']),
  days: z.number().int().nonnegative(),
  meetings: z.number().int().nonnegative(),
  available: z.number().int().nonnegative(),
});
export type OfflinePackInfo = z.infer<typeof OfflinePackSchema>;

const idInput = z.object({ id: z.string().min(1).max(4000) });

export const ris = {
  /** RIS links in a mail body (text or HTML) or a pasted link. */
  recognize: call(z.object({ text: z.string().max(2_000_000) }), z.array(RisLinkSchema)),
  /** Where a recognized link leads: an OParl object in the vault, or a web page for the sandboxed view. */
  resolveLink: call(
    RisLinkSchema,
    z.discriminatedUnion('target', [
      z.object({ target: z.literal('paper'), id: z.string() }),
      z.object({ target: z.literal('meeting'), id: z.string() }),
      z.object({ target: z.literal('web'), url: httpsUrl }),
      // A file link (OParl accessUrl/downloadUrl, a vendor's download link): the file, in the document cache.
      z.object({
        target: z.literal('file'),
        documentId: z.string(),
        name: z.string().max(1000),
        mimeType: z.string().max(200).nullable(),
        insecure: z.boolean(),
      }),
    ]),
  ),
  addSystem: call(z.object({ systemUrl: httpsUrl }), z.array(BodySummarySchema)),
  bodies: call(z.void(), z.array(BodySummarySchema)),
  organizations: call(z.object({ bodyId: z.string() }), z.array(OrganizationSummarySchema)),
  chooseOrganizations: call(z.object({ bodyId: z.string(), organizationIds: z.array(z.string()).max(500) }), z.void()),
  upcomingMeetings: call(
    z.object({ limit: z.number().int().min(1).max(500).default(50) }),
    z.array(MeetingSummarySchema),
  ),
  paper: call(idInput, PaperViewSchema),
  meeting: call(idInput, MeetingViewSchema),
  search: call(
    z.object({ query: z.string().min(1).max(500), limit: z.number().int().min(1).max(200).default(50) }),
    z.array(SearchHitSchema),
  ),
  sync: call(z.object({ bodyId: z.string() }), SyncReportSchema),
  makeMeetingOffline: call(idInput, OfflineResultSchema),
  /** The automatic offline pack's queue ("3 von 5 Sitzungen offline verfügbar"). */
  offlinePack: call(z.void(), OfflinePackSchema),
  /** A file's document-cache id; downloads it (checksum-verified) into the cache when it is not there yet. */
  file: call(
    z.object({ fileId: z.string().min(1).max(4000) }),
    z.object({ documentId: z.string(), insecure: z.boolean() }),
  ),
  syncProgress: event(SyncProgressSchema),
  offlineProgress: event(OfflineProgressSchema),
  offlinePackChanged: event(OfflinePackSchema),
};
