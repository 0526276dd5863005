import type Database from 'better-sqlite3-multiple-ciphers';
import type { MeetingSummary, MeetingView, PaperView, RisFile, SearchHit } from '../../contract/ris';
import type { Vault } from '../vault/vault';
import { recognizeRisLink, type RisLink } from './link-recognizer';
import type {
  OparlAgendaItem,
  OparlBody,
  OparlConsultation,
  OparlFile,
  OparlMeeting,
  OparlOrganization,
  OparlPaper,
  OparlPerson,
  OparlSystem,
} from './oparl-schemas';
import { risMigrations } from './ris-migrations';

export type RisListName = 'organization' | 'person' | 'meeting' | 'paper';

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

export interface OfflineRecord {
  meetingId: string;
  requestedAt: string;
  pinnedUntil: string;
  state: 'running' | 'complete' | 'failed';
  total: number;
  done: number;
}

export interface RisStoreOptions {
  /** Document-cache id of a file (by its OParl id), for the views' `documentId`. */
  documentIdOf?: (fileId: string) => string | null;
}

interface FileRow {
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

type FileRef = OparlFile | string;

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** ISO 8601 in UTC when the value is a parseable date-time, so strings sort by time; else as given. */
function utc(v: string | undefined): string | null {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? v : new Date(t).toISOString();
}

function locationText(loc: OparlMeeting['location']): string | null {
  if (!loc || typeof loc === 'string') return null;
  const parts = [loc.description, loc.room, loc.streetAddress, loc.locality].filter((x): x is string => !!x);
  return parts.length > 0 ? [...new Set(parts)].join(', ') : null;
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

/**
 * RIS data in the vault: systems, bodies, organizations, persons, papers (with consultations and
 * files), meetings (with agenda and files), web links to OParl objects, sync state, offline records,
 * and FTS5 search over papers and meetings. Every page of a list is written in one transaction.
 */
export class RisStore {
  private readonly db: Database.Database;
  private readonly documentIdOf: (fileId: string) => string | null;
  private readonly s;

  constructor(
    private readonly vault: Vault,
    options: RisStoreOptions = {},
  ) {
    vault.migrate(risMigrations);
    this.db = vault.db;
    this.documentIdOf = options.documentIdOf ?? (() => null);
    const db = this.db;
    this.s = vault.guard(() => ({
      upsertSystem: db.prepare(
        `INSERT INTO ris_systems (id, name, oparl_version, body_list, added_at) VALUES (@id, @name, @oparl_version, @body_list, @added_at)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, oparl_version = excluded.oparl_version, body_list = excluded.body_list`,
      ),
      upsertBody: db.prepare(
        `INSERT INTO ris_bodies (id, system_id, name, short_name, lists, web, json) VALUES (@id, @system_id, @name, @short_name, @lists, @web, @json)
         ON CONFLICT(id) DO UPDATE SET system_id = excluded.system_id, name = excluded.name, short_name = excluded.short_name,
           lists = excluded.lists, web = excluded.web, json = excluded.json`,
      ),
      body: db.prepare<[string], { id: string; system_id: string; lists: string; name: string | null }>(
        'SELECT id, system_id, lists, name FROM ris_bodies WHERE id = ?',
      ),
      bodies: db.prepare<
        [],
        { id: string; system_id: string; name: string | null; short_name: string | null; last: string | null }
      >(
        `SELECT b.id, b.system_id, b.name, b.short_name, (SELECT max(completed_at) FROM ris_sync_state s WHERE s.body_id = b.id) AS last
         FROM ris_bodies b ORDER BY b.name`,
      ),
      syncState: db.prepare<[string, string], { since: string }>(
        'SELECT since FROM ris_sync_state WHERE body_id = ? AND list = ?',
      ),
      setSyncState: db.prepare(
        `INSERT INTO ris_sync_state (body_id, list, since, completed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(body_id, list) DO UPDATE SET since = excluded.since, completed_at = excluded.completed_at`,
      ),
      upsertOrganization: db.prepare(
        `INSERT INTO ris_organizations (id, body_id, name, short_name, classification, json) VALUES (@id, @body_id, @name, @short_name, @classification, @json)
         ON CONFLICT(id) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, short_name = excluded.short_name,
           classification = excluded.classification, json = excluded.json`,
      ),
      deleteOrganization: db.prepare<[string]>('DELETE FROM ris_organizations WHERE id = ?'),
      organizations: db.prepare<
        [string],
        { id: string; body_id: string; name: string | null; classification: string | null; chosen: number }
      >('SELECT id, body_id, name, classification, chosen FROM ris_organizations WHERE body_id = ? ORDER BY name'),
      organizationName: db
        .prepare<[string], string | null>('SELECT coalesce(short_name, name) FROM ris_organizations WHERE id = ?')
        .pluck(),
      unchooseAll: db.prepare<[string]>('UPDATE ris_organizations SET chosen = 0 WHERE body_id = ?'),
      choose: db.prepare<[string, string]>('UPDATE ris_organizations SET chosen = 1 WHERE id = ? AND body_id = ?'),
      upsertPerson: db.prepare(
        `INSERT INTO ris_persons (id, body_id, name, json) VALUES (@id, @body_id, @name, @json)
         ON CONFLICT(id) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, json = excluded.json`,
      ),
      deletePerson: db.prepare<[string]>('DELETE FROM ris_persons WHERE id = ?'),
      upsertPaper: db.prepare(
        `INSERT INTO ris_papers (id, body_id, name, reference, paper_type, date, web, modified)
         VALUES (@id, @body_id, @name, @reference, @paper_type, @date, @web, @modified)
         ON CONFLICT(id) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, reference = excluded.reference,
           paper_type = excluded.paper_type, date = excluded.date, web = excluded.web, modified = excluded.modified`,
      ),
      deletePaper: db.prepare<[string]>('DELETE FROM ris_papers WHERE id = ?'),
      paper: db.prepare<[string], Record<string, string | null>>(
        'SELECT id, body_id, name, reference, paper_type, date, web, modified FROM ris_papers WHERE id = ?',
      ),
      deleteConsultations: db.prepare<[string]>('DELETE FROM ris_consultations WHERE paper_id = ?'),
      insertConsultation: db.prepare(
        `INSERT INTO ris_consultations (id, paper_id, ord, meeting_id, agenda_item_id, role, authoritative, organizations)
         VALUES (@id, @paper_id, @ord, @meeting_id, @agenda_item_id, @role, @authoritative, @organizations)`,
      ),
      consultations: db.prepare<[string], Record<string, string | number | null>>(
        `SELECT c.id, c.meeting_id, c.role, c.authoritative, c.organizations, m.name AS meeting_name, m.start AS meeting_start,
                (SELECT ai.number FROM ris_agenda_items ai WHERE ai.id = c.agenda_item_id LIMIT 1) AS agenda_number
         FROM ris_consultations c LEFT JOIN ris_meetings m ON m.id = c.meeting_id
         WHERE c.paper_id = ? ORDER BY m.start, c.ord`,
      ),
      upsertMeeting: db.prepare(
        `INSERT INTO ris_meetings (id, body_id, name, start, end, state, cancelled, location, organizations, agenda_text, web, modified)
         VALUES (@id, @body_id, @name, @start, @end, @state, @cancelled, @location, @organizations, @agenda_text, @web, @modified)
         ON CONFLICT(id) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, start = excluded.start, end = excluded.end,
           state = excluded.state, cancelled = excluded.cancelled, location = excluded.location, organizations = excluded.organizations,
           agenda_text = excluded.agenda_text, web = excluded.web, modified = excluded.modified`,
      ),
      deleteMeeting: db.prepare<[string]>('DELETE FROM ris_meetings WHERE id = ?'),
      meeting: db.prepare<[string], Record<string, string | number | null>>(
        'SELECT id, body_id, name, start, end, state, cancelled, location, organizations, web FROM ris_meetings WHERE id = ?',
      ),
      upcoming: db.prepare<[{ now: string; limit: number }], Record<string, string | number | null>>(
        `SELECT m.id, m.body_id, m.name, m.start, m.end, m.state, m.cancelled, m.location FROM ris_meetings m
         WHERE m.start >= @now AND (
           NOT EXISTS (SELECT 1 FROM ris_organizations o WHERE o.body_id = m.body_id AND o.chosen = 1)
           OR EXISTS (SELECT 1 FROM json_each(m.organizations) j JOIN ris_organizations o ON o.id = j.value AND o.chosen = 1))
         ORDER BY m.start LIMIT @limit`,
      ),
      deleteAgenda: db.prepare<[string]>('DELETE FROM ris_agenda_items WHERE meeting_id = ?'),
      insertAgendaItem: db.prepare(
        `INSERT INTO ris_agenda_items (id, meeting_id, ord, number, name, public, result, consultation_id)
         VALUES (@id, @meeting_id, @ord, @number, @name, @public, @result, @consultation_id)`,
      ),
      agenda: db.prepare<[string], Record<string, string | number | null>>(
        `SELECT ai.id, ai.number, ai.name, ai.public, ai.result, p.id AS paper_id, p.name AS paper_name, p.reference AS paper_reference
         FROM ris_agenda_items ai
         LEFT JOIN ris_consultations c ON c.rowid = (
           SELECT c2.rowid FROM ris_consultations c2 WHERE c2.agenda_item_id = ai.id
           UNION ALL SELECT c3.rowid FROM ris_consultations c3 WHERE c3.id = ai.consultation_id LIMIT 1)
         LEFT JOIN ris_papers p ON p.id = c.paper_id
         WHERE ai.meeting_id = ? ORDER BY ai.ord`,
      ),
      deleteFiles: db.prepare<[string]>('DELETE FROM ris_files WHERE owner_id = ?'),
      insertFile: db.prepare(
        `INSERT INTO ris_files (owner_id, role, ord, id, name, file_name, mime_type, size, sha1, sha512, access_url, download_url)
         VALUES (@owner_id, @role, @ord, @id, @name, @file_name, @mime_type, @size, @sha1, @sha512, @access_url, @download_url)`,
      ),
      files: db.prepare<[string], FileRow>('SELECT * FROM ris_files WHERE owner_id = ? ORDER BY ord'),
      deleteWebLinks: db.prepare<[string]>('DELETE FROM ris_web_links WHERE object_id = ?'),
      upsertWebLink: db.prepare(
        `INSERT INTO ris_web_links (url, object_id, object_kind, host, product, link_kind, link_id)
         VALUES (@url, @object_id, @object_kind, @host, @product, @link_kind, @link_id)
         ON CONFLICT(url) DO UPDATE SET object_id = excluded.object_id, object_kind = excluded.object_kind, host = excluded.host,
           product = excluded.product, link_kind = excluded.link_kind, link_id = excluded.link_id`,
      ),
      webByUrl: db.prepare<[string], { object_id: string; object_kind: string }>(
        'SELECT object_id, object_kind FROM ris_web_links WHERE url = ?',
      ),
      webByKey: db.prepare<[string, string, string, string], { object_id: string; object_kind: string }>(
        'SELECT object_id, object_kind FROM ris_web_links WHERE host = ? AND product = ? AND link_kind = ? AND link_id = ? LIMIT 1',
      ),
      paperExists: db.prepare<[string], number>('SELECT 1 FROM ris_papers WHERE id = ?').pluck(),
      existingPapers: db
        .prepare<[string], string>('SELECT id FROM ris_papers WHERE id IN (SELECT value FROM json_each(?))')
        .pluck(),
      existingMeetings: db
        .prepare<[string], string>('SELECT id FROM ris_meetings WHERE id IN (SELECT value FROM json_each(?))')
        .pluck(),
      meetingExists: db.prepare<[string], number>('SELECT 1 FROM ris_meetings WHERE id = ?').pluck(),
      search: db.prepare<
        [{ q: string; limit: number }],
        { kind: 'paper' | 'meeting'; id: string; title: string | null; subtitle: string | null; snippet: string }
      >(
        `SELECT * FROM (
           SELECT 'paper' AS kind, p.id, p.name AS title, p.reference AS subtitle,
                  snippet(ris_papers_fts, -1, '', '', '…', 16) AS snippet, bm25(ris_papers_fts) AS rank
           FROM ris_papers_fts JOIN ris_papers p ON p.rowid = ris_papers_fts.rowid WHERE ris_papers_fts MATCH @q
           UNION ALL
           SELECT 'meeting' AS kind, m.id, m.name AS title, m.start AS subtitle,
                  snippet(ris_meetings_fts, -1, '', '', '…', 16) AS snippet, bm25(ris_meetings_fts) AS rank
           FROM ris_meetings_fts JOIN ris_meetings m ON m.rowid = ris_meetings_fts.rowid WHERE ris_meetings_fts MATCH @q
         ) ORDER BY rank LIMIT @limit`,
      ),
      upsertOffline: db.prepare(
        `INSERT INTO ris_offline (meeting_id, requested_at, pinned_until, state, total, done)
         VALUES (@meetingId, @requestedAt, @pinnedUntil, @state, @total, @done)
         ON CONFLICT(meeting_id) DO UPDATE SET pinned_until = excluded.pinned_until, state = excluded.state,
           total = excluded.total, done = excluded.done`,
      ),
      offline: db.prepare<[string], OfflineRecord>(
        'SELECT meeting_id AS meetingId, requested_at AS requestedAt, pinned_until AS pinnedUntil, state, total, done FROM ris_offline WHERE meeting_id = ?',
      ),
      offlineAll: db.prepare<[], OfflineRecord>(
        'SELECT meeting_id AS meetingId, requested_at AS requestedAt, pinned_until AS pinnedUntil, state, total, done FROM ris_offline',
      ),
      counts: db.prepare<
        [],
        { papers: number; meetings: number; organizations: number; persons: number; files: number }
      >(
        `SELECT (SELECT count(*) FROM ris_papers) AS papers, (SELECT count(*) FROM ris_meetings) AS meetings,
                (SELECT count(*) FROM ris_organizations) AS organizations, (SELECT count(*) FROM ris_persons) AS persons,
                (SELECT count(*) FROM ris_files) AS files`,
      ),
    }));
  }

  // ---------------------------------------------------------------- systems, bodies, sync state

  saveSystem(system: OparlSystem): void {
    this.vault.transaction(() =>
      this.s.upsertSystem.run({
        id: system.id,
        name: n(system.name),
        oparl_version: n(system.oparlVersion),
        body_list: n(system.body),
        added_at: new Date().toISOString(),
      }),
    );
  }

  saveBody(systemId: string, body: OparlBody): void {
    const lists = { organization: body.organization, person: body.person, meeting: body.meeting, paper: body.paper };
    this.vault.transaction(() =>
      this.s.upsertBody.run({
        id: body.id,
        system_id: systemId,
        name: n(body.name),
        short_name: n(body.shortName),
        lists: JSON.stringify(lists),
        web: n(body.web ?? body.website),
        json: JSON.stringify(body),
      }),
    );
  }

  /** The list URLs of a stored body. */
  bodyLists(bodyId: string): Partial<Record<RisListName, string>> | undefined {
    const row = this.vault.guard(() => this.s.body.get(bodyId));
    return row ? (JSON.parse(row.lists) as Partial<Record<RisListName, string>>) : undefined;
  }

  bodies(): Array<{
    id: string;
    systemId: string;
    name: string | null;
    shortName: string | null;
    lastSync: string | null;
  }> {
    return this.vault
      .guard(() => this.s.bodies.all())
      .map((r) => ({ id: r.id, systemId: r.system_id, name: r.name, shortName: r.short_name, lastSync: r.last }));
  }

  syncSince(bodyId: string, list: RisListName): Date | undefined {
    const row = this.vault.guard(() => this.s.syncState.get(bodyId, list));
    return row ? new Date(row.since) : undefined;
  }

  setSyncSince(bodyId: string, list: RisListName, since: Date): void {
    this.vault.transaction(() => this.s.setSyncState.run(bodyId, list, since.toISOString(), new Date().toISOString()));
  }

  // ---------------------------------------------------------------- pages

  /** Writes one page of a list in one transaction: upserts, and deletes for deleted objects. */
  applyPage(
    bodyId: string,
    list: RisListName,
    objects: ReadonlyArray<OparlPaper | OparlMeeting | OparlOrganization | OparlPerson>,
  ): { upserted: number; deleted: number } {
    return this.vault.transaction(() => {
      let upserted = 0;
      let deleted = 0;
      // Which of the page's papers/meetings are stored already: new ones need no clean-up of old rows.
      const existing =
        list === 'paper' || list === 'meeting'
          ? new Set(
              (list === 'paper' ? this.s.existingPapers : this.s.existingMeetings).all(
                JSON.stringify(objects.map((o) => o.id)),
              ),
            )
          : undefined;
      for (const o of objects) {
        if (o.deleted) {
          this.remove(list, o.id);
          deleted++;
          continue;
        }
        switch (list) {
          case 'paper':
            this.writePaper(bodyId, o as OparlPaper, !existing?.has(o.id));
            break;
          case 'meeting':
            this.writeMeeting(bodyId, o as OparlMeeting, !existing?.has(o.id));
            break;
          case 'organization': {
            const org = o as OparlOrganization;
            this.s.upsertOrganization.run({
              id: org.id,
              body_id: bodyId,
              name: n(org.name),
              short_name: n(org.shortName),
              classification: n(org.classification ?? org.organizationType),
              json: JSON.stringify(org),
            });
            break;
          }
          case 'person': {
            const p = o as OparlPerson;
            const name = p.name ?? ([p.givenName, p.familyName].filter(Boolean).join(' ') || undefined);
            this.s.upsertPerson.run({ id: p.id, body_id: bodyId, name: n(name), json: JSON.stringify(p) });
            break;
          }
        }
        upserted++;
      }
      return { upserted, deleted };
    });
  }

  /**
   * After a complete full import of a list: removes the body's objects the server no longer lists
   * (servers that drop objects instead of sending deleted stubs). `keep` holds every id seen, including
   * those that failed validation, so a bad object never costs the stored copy. Returns how many.
   */
  removeMissing(bodyId: string, list: RisListName, keep: ReadonlySet<string>): number {
    const table = {
      paper: 'ris_papers',
      meeting: 'ris_meetings',
      organization: 'ris_organizations',
      person: 'ris_persons',
    }[list];
    return this.vault.transaction(() => {
      const ids = this.db.prepare<[string], string>(`SELECT id FROM ${table} WHERE body_id = ?`).pluck().all(bodyId);
      let removed = 0;
      for (const id of ids) {
        if (keep.has(id)) continue;
        this.remove(list, id);
        removed++;
      }
      return removed;
    });
  }

  private remove(list: RisListName, id: string): void {
    switch (list) {
      case 'paper':
        this.s.deletePaper.run(id);
        this.s.deleteConsultations.run(id);
        this.s.deleteFiles.run(id);
        this.s.deleteWebLinks.run(id);
        break;
      case 'meeting':
        this.s.deleteMeeting.run(id);
        this.s.deleteAgenda.run(id);
        this.s.deleteFiles.run(id);
        this.s.deleteWebLinks.run(id);
        break;
      case 'organization':
        this.s.deleteOrganization.run(id);
        break;
      case 'person':
        this.s.deletePerson.run(id);
        break;
    }
  }

  private writeFiles(ownerId: string, files: Array<[string, FileRef | undefined]>, isNew: boolean): void {
    if (!isNew) this.s.deleteFiles.run(ownerId);
    let ord = 0;
    for (const [role, f] of files) {
      if (f === undefined) continue;
      const file = typeof f === 'string' ? undefined : f;
      this.s.insertFile.run({
        owner_id: ownerId,
        role,
        ord: ord++,
        id: typeof f === 'string' ? f : f.id,
        name: n(file?.name),
        file_name: n(file?.fileName),
        mime_type: n(file?.mimeType),
        size: n(file?.size),
        sha1: n(file?.sha1Checksum),
        sha512: n(file?.sha512Checksum),
        access_url: n(file?.accessUrl),
        download_url: n(file?.downloadUrl),
      });
    }
  }

  private writeWebLink(objectId: string, kind: 'paper' | 'meeting', web: string | undefined, isNew: boolean): void {
    if (!isNew) this.s.deleteWebLinks.run(objectId);
    if (!web) return;
    const link = recognizeRisLink(web);
    let host: string;
    try {
      host = new URL(web).host;
    } catch {
      return;
    }
    this.s.upsertWebLink.run({
      url: web,
      object_id: objectId,
      object_kind: kind,
      host,
      product: link?.product ?? 'web',
      link_kind: link?.kind ?? 'page',
      link_id: link?.id ?? web,
    });
  }

  private writePaper(bodyId: string, p: OparlPaper, isNew: boolean): void {
    this.s.upsertPaper.run({
      id: p.id,
      body_id: bodyId,
      name: n(p.name),
      reference: n(p.reference),
      paper_type: n(p.paperType),
      date: n(p.date),
      web: n(p.web),
      modified: n(p.modified),
    });
    if (!isNew) this.s.deleteConsultations.run(p.id);
    p.consultation.forEach((c: OparlConsultation | string, ord) => {
      const emb = typeof c === 'string' ? undefined : c;
      this.s.insertConsultation.run({
        id: typeof c === 'string' ? c : c.id,
        paper_id: p.id,
        ord,
        meeting_id: n(emb?.meeting),
        agenda_item_id: n(emb?.agendaItem),
        role: n(emb?.role),
        authoritative: emb?.authoritative === undefined ? null : emb.authoritative ? 1 : 0,
        organizations: JSON.stringify(emb?.organization ?? []),
      });
    });
    this.writeFiles(
      p.id,
      [['mainFile', p.mainFile], ...p.auxiliaryFile.map((f): [string, FileRef] => ['auxiliaryFile', f])],
      isNew,
    );
    this.writeWebLink(p.id, 'paper', p.web, isNew);
  }

  private writeMeeting(bodyId: string, m: OparlMeeting, isNew: boolean): void {
    const items = m.agendaItem;
    const names = items.map((ai) => (typeof ai === 'string' ? '' : (ai.name ?? ''))).filter(Boolean);
    this.s.upsertMeeting.run({
      id: m.id,
      body_id: bodyId,
      name: n(m.name),
      start: utc(m.start),
      end: utc(m.end),
      state: n(m.meetingState),
      cancelled: m.cancelled ? 1 : 0,
      location: locationText(m.location),
      organizations: JSON.stringify(m.organization),
      agenda_text: names.join('\n'),
      web: n(m.web),
      modified: n(m.modified),
    });
    if (!isNew) this.s.deleteAgenda.run(m.id);
    const agendaFiles: Array<[string, FileRef]> = [];
    items.forEach((ai: OparlAgendaItem | string, ord) => {
      const emb = typeof ai === 'string' ? undefined : ai;
      this.s.insertAgendaItem.run({
        id: typeof ai === 'string' ? ai : ai.id,
        meeting_id: m.id,
        ord,
        number: n(emb?.number),
        name: n(emb?.name),
        public: emb?.public === undefined ? null : emb.public ? 1 : 0,
        result: n(emb?.result),
        consultation_id: n(emb?.consultation),
      });
      if (emb?.resolutionFile) agendaFiles.push(['resolutionFile', emb.resolutionFile]);
      for (const f of emb?.auxiliaryFile ?? []) agendaFiles.push(['agendaItemFile', f]);
    });
    this.writeFiles(
      m.id,
      [
        ['invitation', m.invitation],
        ['resultsProtocol', m.resultsProtocol],
        ['verbatimProtocol', m.verbatimProtocol],
        ...m.auxiliaryFile.map((f): [string, FileRef] => ['auxiliaryFile', f]),
        ...agendaFiles,
      ],
      isNew,
    );
    this.writeWebLink(m.id, 'meeting', m.web, isNew);
  }

  // ---------------------------------------------------------------- views

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

  paper(id: string): PaperView | undefined {
    return this.vault.guard(() => {
      const p = this.s.paper.get(id);
      if (!p) return undefined;
      const consultations = this.s.consultations.all(id).map((c) => ({
        id: String(c.id),
        meetingId: (c.meeting_id as string | null) ?? null,
        meetingName: (c.meeting_name as string | null) ?? null,
        meetingStart: (c.meeting_start as string | null) ?? null,
        organizations: (JSON.parse(String(c.organizations)) as string[]).map(
          (o) => this.s.organizationName.get(o) ?? o,
        ),
        role: (c.role as string | null) ?? null,
        authoritative: c.authoritative === null ? null : c.authoritative === 1,
        agendaItemNumber: (c.agenda_number as string | null) ?? null,
      }));
      return {
        id: p.id as string,
        bodyId: p.body_id as string,
        name: p.name ?? null,
        reference: p.reference ?? null,
        paperType: p.paper_type ?? null,
        date: p.date ?? null,
        web: p.web ?? null,
        modified: p.modified ?? null,
        consultations,
        files: this.s.files.all(id).map((r) => this.toFile(r)),
      };
    });
  }

  meeting(id: string): MeetingView | undefined {
    return this.vault.guard(() => {
      const m = this.s.meeting.get(id);
      if (!m) return undefined;
      const orgIds = JSON.parse(String(m.organizations)) as string[];
      const offline = this.s.offline.get(id);
      return {
        id: String(m.id),
        bodyId: String(m.body_id),
        name: (m.name as string | null) ?? null,
        start: (m.start as string | null) ?? null,
        end: (m.end as string | null) ?? null,
        state: (m.state as string | null) ?? null,
        cancelled: m.cancelled === 1,
        location: (m.location as string | null) ?? null,
        organizations: orgIds.map((o) => ({ id: o, name: this.s.organizationName.get(o) ?? null })),
        web: (m.web as string | null) ?? null,
        agenda: this.s.agenda.all(id).map((a) => ({
          id: String(a.id),
          number: (a.number as string | null) ?? null,
          name: (a.name as string | null) ?? null,
          public: a.public === null ? null : a.public === 1,
          result: (a.result as string | null) ?? null,
          paperId: (a.paper_id as string | null) ?? null,
          paperName: (a.paper_name as string | null) ?? null,
          paperReference: (a.paper_reference as string | null) ?? null,
        })),
        files: this.s.files.all(id).map((r) => this.toFile(r)),
        offline: !offline ? 'none' : offline.state === 'complete' ? 'complete' : 'partial',
      };
    });
  }

  upcomingMeetings(now: Date, limit = 50): MeetingSummary[] {
    return this.vault
      .guard(() => this.s.upcoming.all({ now: now.toISOString(), limit }))
      .map((m) => ({
        id: String(m.id),
        bodyId: String(m.body_id),
        name: (m.name as string | null) ?? null,
        start: (m.start as string | null) ?? null,
        end: (m.end as string | null) ?? null,
        state: (m.state as string | null) ?? null,
        cancelled: m.cancelled === 1,
        location: (m.location as string | null) ?? null,
      }));
  }

  organizations(bodyId: string) {
    return this.vault.guard(() =>
      this.s.organizations.all(bodyId).map((o) => ({
        id: o.id,
        bodyId: o.body_id,
        name: o.name,
        classification: o.classification,
        chosen: o.chosen === 1,
      })),
    );
  }

  /** "My bodies": the organizations whose meetings a person follows (empty = all). */
  chooseOrganizations(bodyId: string, organizationIds: readonly string[]): void {
    this.vault.transaction(() => {
      this.s.unchooseAll.run(bodyId);
      for (const id of organizationIds) this.s.choose.run(id, bodyId);
    });
  }

  search(text: string, limit = 50): SearchHit[] {
    const q = ftsQuery(text);
    if (!q) return [];
    return this.vault
      .guard(() => this.s.search.all({ q, limit }))
      .map((h) => ({
        kind: h.kind,
        id: h.id,
        title: h.title,
        subtitle: h.subtitle,
        snippet: h.snippet,
      }));
  }

  /** The OParl paper or meeting a recognized RIS page link stands for, via the objects' `web` links. */
  findByLink(link: RisLink): { kind: 'paper' | 'meeting'; id: string } | undefined {
    return this.vault.guard(() => {
      if (link.product === 'oparl') {
        if (this.s.paperExists.get(link.url)) return { kind: 'paper' as const, id: link.url };
        if (this.s.meetingExists.get(link.url)) return { kind: 'meeting' as const, id: link.url };
        return undefined;
      }
      let row = this.s.webByUrl.get(link.url);
      if (!row && link.product !== 'web') {
        row = this.s.webByKey.get(new URL(link.url).host, link.product, link.kind, link.id);
      }
      if (!row || (row.object_kind !== 'paper' && row.object_kind !== 'meeting')) return undefined;
      return { kind: row.object_kind, id: row.object_id };
    });
  }

  // ---------------------------------------------------------------- files and offline

  /** Files of a meeting and of every paper on its agenda, each file once. */
  filesForMeeting(meetingId: string): StoredFile[] {
    return this.vault.guard(() => {
      const owners = [meetingId];
      for (const a of this.s.agenda.all(meetingId)) if (a.paper_id) owners.push(String(a.paper_id));
      const seen = new Set<string>();
      const out: StoredFile[] = [];
      for (const owner of owners) {
        for (const r of this.s.files.all(owner)) {
          if (seen.has(r.id)) continue;
          seen.add(r.id);
          out.push({
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
          });
        }
      }
      return out;
    });
  }

  meetingEnd(meetingId: string): Date | undefined {
    const m = this.vault.guard(() => this.s.meeting.get(meetingId));
    if (!m) return undefined;
    const end = Date.parse(String(m.end ?? m.start ?? ''));
    return Number.isNaN(end) ? undefined : new Date(end);
  }

  saveOffline(record: OfflineRecord): void {
    this.vault.transaction(() => this.s.upsertOffline.run(record));
  }

  offline(meetingId: string): OfflineRecord | undefined {
    return this.vault.guard(() => this.s.offline.get(meetingId));
  }

  offlineRecords(): OfflineRecord[] {
    return this.vault.guard(() => this.s.offlineAll.all());
  }

  counts() {
    return (
      this.vault.guard(() => this.s.counts.get()) ?? { papers: 0, meetings: 0, organizations: 0, persons: 0, files: 0 }
    );
  }
}
