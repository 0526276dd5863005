/**
 * The RIS tables' rows as SQLite answers them (ris-migrations.ts). Ids are OParl URLs; dates are ISO
 * 8601 text; booleans are 0/1; JSON columns hold arrays of OParl ids.
 */

export interface BodyRow {
  id: string;
  system_id: string;
  name: string | null;
  short_name: string | null;
  /** JSON: the body's list URLs by list name. */
  lists: string;
}

export interface BodySummaryRow {
  id: string;
  system_id: string;
  name: string | null;
  short_name: string | null;
  /** When the last list of this body completed a sync. */
  last: string | null;
  /** JSON: the system's deviations from OParl ({ code, url } objects). */
  deviations: string | null;
}

export interface OrganizationRow {
  id: string;
  body_id: string;
  name: string | null;
  classification: string | null;
  chosen: number;
}

export interface PaperRow {
  id: string;
  body_id: string;
  name: string | null;
  reference: string | null;
  paper_type: string | null;
  date: string | null;
  web: string | null;
  modified: string | null;
  /** 1 when the paper came over plain http (an origin the machine policy allows in clear). */
  insecure: number;
}

export interface ConsultationRow {
  id: string;
  meeting_id: string | null;
  role: string | null;
  authoritative: number | null;
  /** JSON: organization ids. */
  organizations: string;
  meeting_name: string | null;
  meeting_start: string | null;
  agenda_number: string | null;
}

export interface MeetingSummaryRow {
  id: string;
  body_id: string;
  name: string | null;
  start: string | null;
  end: string | null;
  state: string | null;
  cancelled: number;
  location: string | null;
}

export interface MeetingRow extends MeetingSummaryRow {
  /** JSON: organization ids. */
  organizations: string;
  web: string | null;
  /** 1 when the meeting came over plain http (an origin the machine policy allows in clear). */
  insecure: number;
}

export interface AgendaRow {
  id: string;
  number: string | null;
  name: string | null;
  public: number | null;
  result: string | null;
  paper_id: string | null;
  paper_name: string | null;
  paper_reference: string | null;
}

export interface FileRow {
  owner_id: string;
  role: string;
  ord: number;
  id: string;
  name: string | null;
  file_name: string | null;
  mime_type: string | null;
  size: number | null;
  sha1: string | null;
  sha512: string | null;
  access_url: string | null;
  download_url: string | null;
}

/** A file with the http mark of the paper or meeting it belongs to (null: owner not stored). */
export interface FileWithOwnerRow extends FileRow {
  insecure: number | null;
}

export interface SyncResumeRow {
  url: string;
  started_at: string;
}

export interface WebLinkRow {
  object_id: string;
  object_kind: string;
}

export interface SearchRow {
  kind: 'paper' | 'meeting';
  id: string;
  title: string | null;
  subtitle: string | null;
  snippet: string;
}

export interface OfflineRow {
  meetingId: string;
  requestedAt: string;
  pinnedUntil: string;
  state: 'running' | 'complete' | 'failed';
  total: number;
  done: number;
}

export interface RisCounts {
  papers: number;
  meetings: number;
  organizations: number;
  persons: number;
  files: number;
}
