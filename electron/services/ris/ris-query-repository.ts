import type { MeetingSummary, MeetingView, PaperView, RisDeviationInfo, RisFile, SearchHit } from '../../contract/ris';
import type { ReadableDB, VaultDoor } from '../vault/vault-db';
import type { RisLink } from './link-recognizer';
import type {
  AgendaRow,
  BodySummaryRow,
  ConsultationRow,
  FileRow,
  FileWithOwnerRow,
  MeetingRow,
  MeetingSummaryRow,
  OfflineRow,
  OrganizationRow,
  PaperRow,
  RisCounts,
  SearchRow,
  WebLinkRow,
} from './ris-rows';

export interface StoredFile {
  ownerId: string;
  role: string;
  id: string;
  name: string | null;
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
  sha1: string | null;
  sha512: string | null;
  accessUrl: string | null;
  downloadUrl: string | null;
  /** Only an id is known (the owner referenced the file by URL). */
  referenceOnly: boolean;
}

/** A meeting as the calendar shows, reminds of and exports it (Termine view, .ics export). */
export interface MeetingDate {
  id: string;
  name: string | null;
  start: string | null;
  end: string | null;
  location: string | null;
  cancelled: boolean;
  /** Names of the bodies holding it (their ids when a name is missing). */
  organizations: string[];
  web: string | null;
  offline: 'none' | 'partial' | 'complete';
}

interface MeetingDateRow extends MeetingRow {
  offline: string | null;
}

const MAX_MEETING_DATES = 5000;

export interface RisQueryOptions {
  /** Document-cache id of a file (by its OParl id), for the views' `documentId`. */
  documentIdOf?: (fileId: string) => string | null;
}

/** An FTS5 query from free text: every word as a prefix term, all required. */
export function ftsQuery(text: string): string | null {
  const words = text
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 20);
  return words.length > 0 ? words.map((w) => `"${w}"*`).join(' ') : null;
}

function storedFile(r: FileRow): StoredFile {
  return {
    ownerId: r.owner_id,
    role: r.role,
    id: r.id,
    name: r.name,
    fileName: r.file_name,
    mimeType: r.mime_type,
    size: r.size,
    sha1: r.sha1,
    sha512: r.sha512,
    accessUrl: r.access_url,
    downloadUrl: r.download_url,
    referenceOnly: r.access_url === null && r.download_url === null,
  };
}

function toMeetingSummary(m: MeetingSummaryRow): MeetingSummary {
  return {
    id: m.id,
    bodyId: m.body_id,
    name: m.name,
    start: m.start,
    end: m.end,
    state: m.state,
    cancelled: m.cancelled === 1,
    location: m.location,
  };
}

const SQL = {
  organizationName: 'SELECT coalesce(short_name, name) FROM ris_organizations WHERE id = ?',
  meeting:
    'SELECT id, body_id, name, start, end, state, cancelled, location, organizations, web, insecure FROM ris_meetings WHERE id = ?',
  agenda: `SELECT ai.id, ai.number, ai.name, ai.public, ai.result, p.id AS paper_id, p.name AS paper_name, p.reference AS paper_reference
    FROM ris_agenda_items ai
    LEFT JOIN ris_consultations c ON c.rowid = (
      SELECT c2.rowid FROM ris_consultations c2 WHERE c2.agenda_item_id = ai.id
      UNION ALL SELECT c3.rowid FROM ris_consultations c3 WHERE c3.id = ai.consultation_id LIMIT 1)
    LEFT JOIN ris_papers p ON p.id = c.paper_id
    WHERE ai.meeting_id = ? ORDER BY ai.ord`,
  files: 'SELECT * FROM ris_files WHERE owner_id = ? ORDER BY ord',
  offlineState: 'SELECT state FROM ris_offline WHERE meeting_id = ?',
} as const;

/**
 * The contract's RIS views, read from the vault: bodies, organizations (and the person's choice of them,
 * which filters the upcoming meetings), papers and meetings with their consultations, agenda and files,
 * upcoming meetings, full-text search, and the object a recognized RIS link stands for.
 */
export class RisQueryRepository {
  private readonly documentIdOf: (fileId: string) => string | null;

  constructor(
    private readonly vault: VaultDoor,
    options: RisQueryOptions = {},
  ) {
    this.documentIdOf = options.documentIdOf ?? (() => null);
  }

  bodies(): Array<{
    id: string;
    systemId: string;
    name: string | null;
    shortName: string | null;
    lastSync: string | null;
    deviations: RisDeviationInfo[];
  }> {
    return this.vault
      .guard((db) =>
        db
          .prepare<[], BodySummaryRow>(
            `SELECT b.id, b.system_id, b.name, b.short_name, (SELECT max(completed_at) FROM ris_sync_state s WHERE s.body_id = b.id) AS last,
                    (SELECT deviations FROM ris_systems y WHERE y.id = b.system_id) AS deviations
             FROM ris_bodies b ORDER BY b.name`,
          )
          .all(),
      )
      .map((r) => ({
        id: r.id,
        systemId: r.system_id,
        name: r.name,
        shortName: r.short_name,
        lastSync: r.last,
        deviations: JSON.parse(r.deviations ?? '[]') as RisDeviationInfo[],
      }));
  }

  organizations(bodyId: string) {
    return this.vault
      .guard((db) =>
        db
          .prepare<[string], OrganizationRow>(
            'SELECT id, body_id, name, classification, chosen FROM ris_organizations WHERE body_id = ? ORDER BY name',
          )
          .all(bodyId),
      )
      .map((o) => ({
        id: o.id,
        bodyId: o.body_id,
        name: o.name,
        classification: o.classification,
        chosen: o.chosen === 1,
      }));
  }

  /** "My bodies": the organizations whose meetings a person follows (empty = all). */
  chooseOrganizations(bodyId: string, organizationIds: readonly string[]): void {
    this.vault.transaction((db) => {
      db.prepare('UPDATE ris_organizations SET chosen = 0 WHERE body_id = ?').run(bodyId);
      const choose = db.prepare('UPDATE ris_organizations SET chosen = 1 WHERE id = ? AND body_id = ?');
      for (const id of organizationIds) choose.run(id, bodyId);
    });
  }

  private toFile(r: FileRow): RisFile {
    return {
      id: r.id,
      role: r.role,
      name: r.name ?? r.file_name ?? r.id,
      fileName: r.file_name,
      mimeType: r.mime_type,
      size: r.size,
      documentId: this.documentIdOf(r.id),
    };
  }

  private organizationName(db: ReadableDB, id: string): string | null {
    return db.pluck<[string], string | null>(SQL.organizationName).get(id) ?? null;
  }

  paper(id: string): PaperView | undefined {
    return this.vault.guard((db) => {
      const p = db
        .prepare<[string], PaperRow>(
          'SELECT id, body_id, name, reference, paper_type, date, web, modified, insecure FROM ris_papers WHERE id = ?',
        )
        .get(id);
      if (!p) return undefined;
      const consultations = db
        .prepare<[string], ConsultationRow>(
          `SELECT c.id, c.meeting_id, c.role, c.authoritative, c.organizations, m.name AS meeting_name, m.start AS meeting_start,
                  (SELECT ai.number FROM ris_agenda_items ai WHERE ai.id = c.agenda_item_id LIMIT 1) AS agenda_number
           FROM ris_consultations c LEFT JOIN ris_meetings m ON m.id = c.meeting_id
           WHERE c.paper_id = ? ORDER BY m.start, c.ord`,
        )
        .all(id)
        .map((c) => ({
          id: c.id,
          meetingId: c.meeting_id,
          meetingName: c.meeting_name,
          meetingStart: c.meeting_start,
          organizations: (JSON.parse(c.organizations) as string[]).map((o) => this.organizationName(db, o) ?? o),
          role: c.role,
          authoritative: c.authoritative === null ? null : c.authoritative === 1,
          agendaItemNumber: c.agenda_number,
        }));
      return {
        id: p.id,
        bodyId: p.body_id,
        name: p.name,
        reference: p.reference,
        paperType: p.paper_type,
        date: p.date,
        web: p.web,
        modified: p.modified,
        consultations,
        files: db
          .prepare<[string], FileRow>(SQL.files)
          .all(id)
          .map((r) => this.toFile(r)),
        insecure: p.insecure === 1,
      };
    });
  }

  meeting(id: string): MeetingView | undefined {
    return this.vault.guard((db) => {
      const m = db.prepare<[string], MeetingRow>(SQL.meeting).get(id);
      if (!m) return undefined;
      const orgIds = JSON.parse(m.organizations) as string[];
      const offline = db.pluck<[string], OfflineRow['state']>(SQL.offlineState).get(id);
      return {
        ...toMeetingSummary(m),
        organizations: orgIds.map((o) => ({ id: o, name: this.organizationName(db, o) })),
        web: m.web,
        agenda: db
          .prepare<[string], AgendaRow>(SQL.agenda)
          .all(id)
          .map((a) => ({
            id: a.id,
            number: a.number,
            name: a.name,
            public: a.public === null ? null : a.public === 1,
            result: a.result,
            paperId: a.paper_id,
            paperName: a.paper_name,
            paperReference: a.paper_reference,
          })),
        files: db
          .prepare<[string], FileRow>(SQL.files)
          .all(id)
          .map((r) => this.toFile(r)),
        offline: !offline ? 'none' : offline === 'complete' ? 'complete' : 'partial',
        insecure: m.insecure === 1,
      };
    });
  }

  /** Meetings from now on, of the chosen organizations (all when none is chosen). */
  upcomingMeetings(now: Date, limit = 50): MeetingSummary[] {
    return this.vault
      .guard((db) =>
        db
          .prepare<[{ now: string; limit: number }], MeetingSummaryRow>(
            `SELECT m.id, m.body_id, m.name, m.start, m.end, m.state, m.cancelled, m.location FROM ris_meetings m
             WHERE m.start >= @now AND (
               NOT EXISTS (SELECT 1 FROM ris_organizations o WHERE o.body_id = m.body_id AND o.chosen = 1)
               OR EXISTS (SELECT 1 FROM json_each(m.organizations) j JOIN ris_organizations o ON o.id = j.value AND o.chosen = 1))
             ORDER BY m.start LIMIT @limit`,
          )
          .all({ now: now.toISOString(), limit }),
      )
      .map(toMeetingSummary);
  }

  /**
   * Meetings starting in [from, to) for the calendar, with their bodies' names and offline state: of the chosen
   * organizations (`mine`; every body's when none is chosen) or of all. OParl times carry their own offsets, so
   * the stored text is narrowed by date with a day's margin and the instants decide.
   */
  meetingsBetween(from: Date, to: Date, bodies: 'mine' | 'all'): MeetingDate[] {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const rows = this.vault.guard((db) =>
      db
        .prepare<[{ from: string; to: string; all: number; limit: number }], MeetingDateRow>(
          `SELECT m.id, m.body_id, m.name, m.start, m.end, m.state, m.cancelled, m.location, m.organizations, m.web,
                  o.state AS offline
           FROM ris_meetings m LEFT JOIN ris_offline o ON o.meeting_id = m.id
           WHERE m.start >= @from AND m.start < @to AND (@all = 1
             OR NOT EXISTS (SELECT 1 FROM ris_organizations c WHERE c.body_id = m.body_id AND c.chosen = 1)
             OR EXISTS (SELECT 1 FROM json_each(m.organizations) j JOIN ris_organizations c ON c.id = j.value AND c.chosen = 1))
           ORDER BY m.start LIMIT @limit`,
        )
        .all({
          from: day(from.getTime() - 86_400_000),
          to: day(to.getTime() + 2 * 86_400_000),
          all: bodies === 'all' ? 1 : 0,
          limit: MAX_MEETING_DATES,
        })
        .map((m) => this.toMeetingDate(db, m)),
    );
    return rows.filter((m) => {
      const start = Date.parse(m.start ?? '');
      return start >= from.getTime() && start < to.getTime();
    });
  }

  /** One meeting as the calendar exports it, or undefined. */
  meetingDate(id: string): MeetingDate | undefined {
    return this.vault.guard((db) => {
      const m = db
        .prepare<[string], MeetingDateRow>(
          `SELECT m.id, m.body_id, m.name, m.start, m.end, m.state, m.cancelled, m.location, m.organizations, m.web,
                  o.state AS offline
           FROM ris_meetings m LEFT JOIN ris_offline o ON o.meeting_id = m.id WHERE m.id = ?`,
        )
        .get(id);
      return m ? this.toMeetingDate(db, m) : undefined;
    });
  }

  private toMeetingDate(db: ReadableDB, m: MeetingDateRow): MeetingDate {
    const orgIds = JSON.parse(m.organizations) as string[];
    return {
      id: m.id,
      name: m.name,
      start: m.start,
      end: m.end,
      location: m.location,
      cancelled: m.cancelled === 1,
      organizations: orgIds.slice(0, 50).map((o) => this.organizationName(db, o) ?? o),
      web: m.web,
      offline: !m.offline ? 'none' : m.offline === 'complete' ? 'complete' : 'partial',
    };
  }

  search(text: string, limit = 50): SearchHit[] {
    const q = ftsQuery(text);
    if (!q) return [];
    return this.vault
      .guard((db) =>
        db
          .prepare<[{ q: string; limit: number }], SearchRow>(
            `SELECT * FROM (
               SELECT 'paper' AS kind, p.id, p.name AS title, p.reference AS subtitle,
                      snippet(ris_papers_fts, -1, '', '', '…', 16) AS snippet, bm25(ris_papers_fts) AS rank
               FROM ris_papers_fts JOIN ris_papers p ON p.rowid = ris_papers_fts.rowid WHERE ris_papers_fts MATCH @q
               UNION ALL
               SELECT 'meeting' AS kind, m.id, m.name AS title, m.start AS subtitle,
                      snippet(ris_meetings_fts, -1, '', '', '…', 16) AS snippet, bm25(ris_meetings_fts) AS rank
               FROM ris_meetings_fts JOIN ris_meetings m ON m.rowid = ris_meetings_fts.rowid WHERE ris_meetings_fts MATCH @q
             ) ORDER BY rank LIMIT @limit`,
          )
          .all({ q, limit }),
      )
      .map((h) => ({ kind: h.kind, id: h.id, title: h.title, subtitle: h.subtitle, snippet: h.snippet }));
  }

  /** The OParl paper or meeting a recognized RIS page link stands for, via the objects' `web` links. */
  findByLink(link: RisLink): { kind: 'paper' | 'meeting'; id: string } | undefined {
    return this.vault.guard((db) => {
      if (link.product === 'oparl') {
        if (db.pluck<[string], number>('SELECT 1 FROM ris_papers WHERE id = ?').get(link.url))
          return { kind: 'paper' as const, id: link.url };
        if (db.pluck<[string], number>('SELECT 1 FROM ris_meetings WHERE id = ?').get(link.url))
          return { kind: 'meeting' as const, id: link.url };
        return undefined;
      }
      let row = db
        .prepare<[string], WebLinkRow>('SELECT object_id, object_kind FROM ris_web_links WHERE url = ?')
        .get(link.url);
      if (!row && link.product !== 'web') {
        row = db
          .prepare<[string, string, string, string], WebLinkRow>(
            'SELECT object_id, object_kind FROM ris_web_links WHERE host = ? AND product = ? AND link_kind = ? AND link_id = ? LIMIT 1',
          )
          .get(new URL(link.url).host, link.product, link.kind, link.id);
      }
      if (!row || (row.object_kind !== 'paper' && row.object_kind !== 'meeting')) return undefined;
      return { kind: row.object_kind, id: row.object_id };
    });
  }

  /** Files of a meeting and of every paper on its agenda, each file once. */
  filesForMeeting(meetingId: string): StoredFile[] {
    return this.vault.guard((db) => {
      const owners = [meetingId];
      for (const a of db.prepare<[string], AgendaRow>(SQL.agenda).all(meetingId))
        if (a.paper_id) owners.push(a.paper_id);
      const seen = new Set<string>();
      const out: StoredFile[] = [];
      for (const owner of owners) {
        for (const r of db.prepare<[string], FileRow>(SQL.files).all(owner)) {
          if (seen.has(r.id)) continue;
          seen.add(r.id);
          out.push(storedFile(r));
        }
      }
      return out;
    });
  }

  /**
   * The stored file a URL stands for: its OParl id, accessUrl or downloadUrl (a file link in a mail).
   * `insecure` when the paper or meeting it belongs to came over plain http.
   */
  fileByUrl(url: string): (StoredFile & { insecure: boolean }) | undefined {
    const row = this.vault.guard((db) =>
      db
        .prepare<[string, string, string], FileWithOwnerRow>(
          `SELECT f.*, coalesce(p.insecure, m.insecure) AS insecure FROM ris_files f
           LEFT JOIN ris_papers p ON p.id = f.owner_id LEFT JOIN ris_meetings m ON m.id = f.owner_id
           WHERE f.id = ? OR f.access_url = ? OR f.download_url = ? LIMIT 1`,
        )
        .get(url, url, url),
    );
    return row ? { ...storedFile(row), insecure: row.insecure === 1 } : undefined;
  }

  meetingEnd(meetingId: string): Date | undefined {
    const m = this.vault.guard((db) => db.prepare<[string], MeetingRow>(SQL.meeting).get(meetingId));
    if (!m) return undefined;
    const end = Date.parse(m.end ?? m.start ?? '');
    return Number.isNaN(end) ? undefined : new Date(end);
  }

  counts(): RisCounts {
    return (
      this.vault.guard((db) =>
        db
          .prepare<[], RisCounts>(
            `SELECT (SELECT count(*) FROM ris_papers) AS papers, (SELECT count(*) FROM ris_meetings) AS meetings,
                    (SELECT count(*) FROM ris_organizations) AS organizations, (SELECT count(*) FROM ris_persons) AS persons,
                    (SELECT count(*) FROM ris_files) AS files`,
          )
          .get(),
      ) ?? { papers: 0, meetings: 0, organizations: 0, persons: 0, files: 0 }
    );
  }
}
