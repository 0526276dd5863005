import type { VaultDoor, WritableDB } from '../vault/vault-db';
import { recognizeRisLink } from './link-recognizer';
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
import type { RisDeviationInfo } from '../../contract/ris';
import type { BodyRow, SyncResumeRow } from './ris-rows';

export type RisListName = 'organization' | 'person' | 'meeting' | 'paper';

/** Where a list that failed goes on next time, and when that interrupted run began. */
export interface SyncResume {
  url: string;
  startedAt: Date;
}

type FileRef = OparlFile | string;
/** An object of one of the lists the sync imports. */
export type ListObject = OparlPaper | OparlMeeting | OparlOrganization | OparlPerson;

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

const TABLE_OF: Record<RisListName, string> = {
  paper: 'ris_papers',
  meeting: 'ris_meetings',
  organization: 'ris_organizations',
  person: 'ris_persons',
};

const SQL = {
  upsertOrganization: `INSERT INTO ris_organizations (id, body_id, name, short_name, classification, json) VALUES (@id, @body_id, @name, @short_name, @classification, @json)
    ON CONFLICT(id) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, short_name = excluded.short_name,
      classification = excluded.classification, json = excluded.json`,
  upsertPerson: `INSERT INTO ris_persons (id, body_id, name, json) VALUES (@id, @body_id, @name, @json)
    ON CONFLICT(id) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, json = excluded.json`,
  upsertPaper: `INSERT INTO ris_papers (id, body_id, name, reference, paper_type, date, web, modified, insecure)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, reference = excluded.reference,
      paper_type = excluded.paper_type, date = excluded.date, web = excluded.web, modified = excluded.modified,
      insecure = excluded.insecure`,
  insertConsultation: `INSERT INTO ris_consultations (id, paper_id, ord, meeting_id, agenda_item_id, role, authoritative, organizations)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  upsertMeeting: `INSERT INTO ris_meetings (id, body_id, name, start, end, state, cancelled, location, organizations, agenda_text, web, modified, insecure)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET body_id = excluded.body_id, name = excluded.name, start = excluded.start, end = excluded.end,
      state = excluded.state, cancelled = excluded.cancelled, location = excluded.location, organizations = excluded.organizations,
      agenda_text = excluded.agenda_text, web = excluded.web, modified = excluded.modified, insecure = excluded.insecure`,
  insertAgendaItem: `INSERT INTO ris_agenda_items (id, meeting_id, ord, number, name, public, result, consultation_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  insertFile: `INSERT INTO ris_files (owner_id, role, ord, id, name, file_name, mime_type, size, sha1, sha512, access_url, download_url)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  upsertWebLink: `INSERT INTO ris_web_links (url, object_id, object_kind, host, product, link_kind, link_id)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(url) DO UPDATE SET object_id = excluded.object_id, object_kind = excluded.object_kind, host = excluded.host,
      product = excluded.product, link_kind = excluded.link_kind, link_id = excluded.link_id`,
  deletePaper: 'DELETE FROM ris_papers WHERE id = ?',
  deleteMeeting: 'DELETE FROM ris_meetings WHERE id = ?',
  deleteOrganization: 'DELETE FROM ris_organizations WHERE id = ?',
  deletePerson: 'DELETE FROM ris_persons WHERE id = ?',
  deleteConsultations: 'DELETE FROM ris_consultations WHERE paper_id = ?',
  deleteAgenda: 'DELETE FROM ris_agenda_items WHERE meeting_id = ?',
  deleteFiles: 'DELETE FROM ris_files WHERE owner_id = ?',
  deleteWebLinks: 'DELETE FROM ris_web_links WHERE object_id = ?',
} as const;

/**
 * What the RIS sync writes into the vault, and the sync state it reads back: systems, bodies and their
 * list URLs, the objects of each list page (papers with consultations and files, meetings with agenda and
 * files, organizations, persons, web links to OParl objects). A page, or a few consecutive pages of one list, is
 * one transaction. Only RisSync
 * uses this; the app's views read through RisQueryRepository.
 */
export class RisSyncRepository {
  constructor(private readonly vault: VaultDoor) {}

  // ---------------------------------------------------------------- systems, bodies, sync state

  saveSystem(system: OparlSystem): void {
    this.vault.transaction((db) =>
      db
        .prepare(
          `INSERT INTO ris_systems (id, name, oparl_version, body_list, added_at) VALUES (@id, @name, @oparl_version, @body_list, @added_at)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, oparl_version = excluded.oparl_version, body_list = excluded.body_list`,
        )
        .run({
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
    this.vault.transaction((db) =>
      db
        .prepare(
          `INSERT INTO ris_bodies (id, system_id, name, short_name, lists, web, json) VALUES (@id, @system_id, @name, @short_name, @lists, @web, @json)
           ON CONFLICT(id) DO UPDATE SET system_id = excluded.system_id, name = excluded.name, short_name = excluded.short_name,
             lists = excluded.lists, web = excluded.web, json = excluded.json`,
        )
        .run({
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
    const row = this.vault.guard((db) =>
      db
        .prepare<[string], BodyRow>('SELECT id, system_id, name, short_name, lists FROM ris_bodies WHERE id = ?')
        .get(bodyId),
    );
    return row ? (JSON.parse(row.lists) as Partial<Record<RisListName, string>>) : undefined;
  }

  syncSince(bodyId: string, list: RisListName): Date | undefined {
    const since = this.vault.guard((db) =>
      db
        .pluck<[string, string], string>('SELECT since FROM ris_sync_state WHERE body_id = ? AND list = ?')
        .get(bodyId, list),
    );
    return since === undefined ? undefined : new Date(since);
  }

  /** The system a stored body belongs to. */
  systemOf(bodyId: string): string | undefined {
    return this.vault.guard((db) =>
      db.pluck<[string], string>('SELECT system_id FROM ris_bodies WHERE id = ?').get(bodyId),
    );
  }

  /** Adds what a system was seen to deviate from OParl (each code and URL once, at most 100). */
  addDeviations(systemId: string, deviations: readonly RisDeviationInfo[]): void {
    if (deviations.length === 0) return;
    this.vault.transaction((db) => {
      const stored = db.pluck<[string], string>('SELECT deviations FROM ris_systems WHERE id = ?').get(systemId);
      const known = JSON.parse(stored ?? '[]') as RisDeviationInfo[];
      const keys = new Set(known.map((d) => `${d.code} ${d.url}`));
      const merged = [...known];
      for (const d of deviations) {
        if (keys.has(`${d.code} ${d.url}`) || merged.length >= 100) continue;
        keys.add(`${d.code} ${d.url}`);
        merged.push({ code: d.code, url: d.url.slice(0, 4000) });
      }
      if (merged.length > known.length)
        db.prepare('UPDATE ris_systems SET deviations = ? WHERE id = ?').run(JSON.stringify(merged), systemId);
    });
  }

  /** Where a list that failed last time goes on (its failed page), if it does. */
  syncResume(bodyId: string, list: RisListName): SyncResume | undefined {
    const row = this.vault.guard((db) =>
      db
        .prepare<[string, string], SyncResumeRow>(
          'SELECT url, started_at FROM ris_sync_resume WHERE body_id = ? AND list = ?',
        )
        .get(bodyId, list),
    );
    return row ? { url: row.url, startedAt: new Date(row.started_at) } : undefined;
  }

  setSyncResume(bodyId: string, list: RisListName, resume: SyncResume | null): void {
    this.vault.transaction((db) => {
      if (!resume) {
        db.prepare('DELETE FROM ris_sync_resume WHERE body_id = ? AND list = ?').run(bodyId, list);
        return;
      }
      db.prepare(
        `INSERT INTO ris_sync_resume (body_id, list, url, started_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(body_id, list) DO UPDATE SET url = excluded.url, started_at = excluded.started_at`,
      ).run(bodyId, list, resume.url, resume.startedAt.toISOString());
    });
  }

  setSyncSince(bodyId: string, list: RisListName, since: Date): void {
    this.vault.transaction((db) =>
      db
        .prepare(
          `INSERT INTO ris_sync_state (body_id, list, since, completed_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(body_id, list) DO UPDATE SET since = excluded.since, completed_at = excluded.completed_at`,
        )
        .run(bodyId, list, since.toISOString(), new Date().toISOString()),
    );
  }

  // ---------------------------------------------------------------- pages

  /**
   * Writes one page of a list in one transaction: upserts, and deletes for deleted objects. `deleted`
   * counts only what was really removed (a fresh import sees stubs of objects it never stored).
   * `insecure`: the page came over plain http (papers and meetings keep that mark for the UI).
   */
  applyPage(
    bodyId: string,
    list: RisListName,
    objects: ReadonlyArray<ListObject>,
    options: { insecure?: boolean } = {},
  ): { upserted: number; deleted: number } {
    return this.applyPages(bodyId, list, [{ objects, insecure: options.insecure ?? false }]);
  }

  /**
   * Writes several consecutive pages of a list in one transaction (each as `applyPage` would): an import
   * commits once per few hundred objects instead of once per page, so the vault's pages that every commit
   * rewrites (index interiors, the FTS segments) are encrypted and written fewer times. All or nothing.
   */
  applyPages(
    bodyId: string,
    list: RisListName,
    pages: ReadonlyArray<{ objects: ReadonlyArray<ListObject>; insecure: boolean }>,
  ): { upserted: number; deleted: number } {
    return this.vault.transaction((db) => {
      const total = { upserted: 0, deleted: 0 };
      for (const page of pages) {
        const r = writePage(db, bodyId, list, page.objects, page.insecure ? 1 : 0);
        total.upserted += r.upserted;
        total.deleted += r.deleted;
      }
      return total;
    });
  }

  /**
   * After a complete full import of a list: removes the body's objects the server no longer lists
   * (servers that drop objects instead of sending deleted stubs). `keep` holds every id seen, including
   * those that failed validation, so a bad object never costs the stored copy. Returns how many.
   */
  removeMissing(bodyId: string, list: RisListName, keep: ReadonlySet<string>): number {
    return this.vault.transaction((db) => {
      const ids = db.pluck<[string], string>(`SELECT id FROM ${TABLE_OF[list]} WHERE body_id = ?`).all(bodyId);
      let removed = 0;
      for (const id of ids) {
        if (keep.has(id)) continue;
        if (remove(db, list, id)) removed++;
      }
      return removed;
    });
  }
}

/** One page's upserts and deletions, inside the caller's transaction. */
function writePage(
  db: WritableDB,
  bodyId: string,
  list: RisListName,
  objects: ReadonlyArray<ListObject>,
  insecure: number,
): { upserted: number; deleted: number } {
  let upserted = 0;
  let deleted = 0;
  // Which of the page's papers/meetings are stored already: new ones need no clean-up of old rows.
  const existing =
    list === 'paper' || list === 'meeting'
      ? new Set(
          db
            .pluck<[string], string>(`SELECT id FROM ${TABLE_OF[list]} WHERE id IN (SELECT value FROM json_each(?))`)
            .all(JSON.stringify(objects.map((o) => o.id))),
        )
      : undefined;
  for (const o of objects) {
    if (o.deleted) {
      if (remove(db, list, o.id)) deleted++;
      continue;
    }
    switch (list) {
      case 'paper':
        writePaper(db, bodyId, o as OparlPaper, !existing?.has(o.id), insecure);
        break;
      case 'meeting':
        writeMeeting(db, bodyId, o as OparlMeeting, !existing?.has(o.id), insecure);
        break;
      case 'organization': {
        const org = o as OparlOrganization;
        db.prepare(SQL.upsertOrganization).run({
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
        db.prepare(SQL.upsertPerson).run({ id: p.id, body_id: bodyId, name: n(name), json: JSON.stringify(p) });
        break;
      }
    }
    upserted++;
  }
  return { upserted, deleted };
}

/** Removes an object and what hangs off it; true when there was such an object. */
function remove(db: WritableDB, list: RisListName, id: string): boolean {
  switch (list) {
    case 'paper': {
      const removed = db.prepare(SQL.deletePaper).run(id).changes > 0;
      db.prepare(SQL.deleteConsultations).run(id);
      db.prepare(SQL.deleteFiles).run(id);
      db.prepare(SQL.deleteWebLinks).run(id);
      return removed;
    }
    case 'meeting': {
      const removed = db.prepare(SQL.deleteMeeting).run(id).changes > 0;
      db.prepare(SQL.deleteAgenda).run(id);
      db.prepare(SQL.deleteFiles).run(id);
      db.prepare(SQL.deleteWebLinks).run(id);
      return removed;
    }
    case 'organization':
      return db.prepare(SQL.deleteOrganization).run(id).changes > 0;
    case 'person':
      return db.prepare(SQL.deletePerson).run(id).changes > 0;
  }
}

function writeFiles(
  db: WritableDB,
  ownerId: string,
  files: Array<[string, FileRef | undefined]>,
  isNew: boolean,
): void {
  if (!isNew) db.prepare(SQL.deleteFiles).run(ownerId);
  const insert = db.prepare(SQL.insertFile);
  let ord = 0;
  for (const [role, f] of files) {
    if (f === undefined) continue;
    const file = typeof f === 'string' ? undefined : f;
    insert.run(
      ownerId,
      role,
      ord++,
      typeof f === 'string' ? f : f.id,
      n(file?.name),
      n(file?.fileName),
      n(file?.mimeType),
      n(file?.size),
      n(file?.sha1Checksum),
      n(file?.sha512Checksum),
      n(file?.accessUrl),
      n(file?.downloadUrl),
    );
  }
}

function writeWebLink(
  db: WritableDB,
  objectId: string,
  kind: 'paper' | 'meeting',
  web: string | undefined,
  isNew: boolean,
): void {
  if (!isNew) db.prepare(SQL.deleteWebLinks).run(objectId);
  if (!web) return;
  const link = recognizeRisLink(web);
  let host: string;
  try {
    host = new URL(web).host;
  } catch {
    return; // a web link that is no URL cannot be followed: the object stays, without a link
  }
  db.prepare(SQL.upsertWebLink).run(
    web,
    objectId,
    kind,
    host,
    link?.product ?? 'web',
    link?.kind ?? 'page',
    link?.id ?? web,
  );
}

function writePaper(db: WritableDB, bodyId: string, p: OparlPaper, isNew: boolean, insecure: number): void {
  db.prepare(SQL.upsertPaper).run(
    p.id,
    bodyId,
    n(p.name),
    n(p.reference),
    n(p.paperType),
    n(p.date),
    n(p.web),
    n(p.modified),
    insecure,
  );
  if (!isNew) db.prepare(SQL.deleteConsultations).run(p.id);
  const insert = db.prepare(SQL.insertConsultation);
  p.consultation.forEach((c: OparlConsultation | string, ord) => {
    const emb = typeof c === 'string' ? undefined : c;
    insert.run(
      typeof c === 'string' ? c : c.id,
      p.id,
      ord,
      n(emb?.meeting),
      n(emb?.agendaItem),
      n(emb?.role),
      emb?.authoritative === undefined ? null : emb.authoritative ? 1 : 0,
      JSON.stringify(emb?.organization ?? []),
    );
  });
  writeFiles(
    db,
    p.id,
    [['mainFile', p.mainFile], ...p.auxiliaryFile.map((f): [string, FileRef] => ['auxiliaryFile', f])],
    isNew,
  );
  writeWebLink(db, p.id, 'paper', p.web, isNew);
}

function writeMeeting(db: WritableDB, bodyId: string, m: OparlMeeting, isNew: boolean, insecure: number): void {
  const items = m.agendaItem;
  const names = items.map((ai) => (typeof ai === 'string' ? '' : (ai.name ?? ''))).filter(Boolean);
  db.prepare(SQL.upsertMeeting).run(
    m.id,
    bodyId,
    n(m.name),
    utc(m.start),
    utc(m.end),
    n(m.meetingState),
    m.cancelled ? 1 : 0,
    locationText(m.location),
    JSON.stringify(m.organization),
    names.join('\n'),
    n(m.web),
    n(m.modified),
    insecure,
  );
  if (!isNew) db.prepare(SQL.deleteAgenda).run(m.id);
  const insert = db.prepare(SQL.insertAgendaItem);
  const agendaFiles: Array<[string, FileRef]> = [];
  items.forEach((ai: OparlAgendaItem | string, ord) => {
    const emb = typeof ai === 'string' ? undefined : ai;
    insert.run(
      typeof ai === 'string' ? ai : ai.id,
      m.id,
      ord,
      n(emb?.number),
      n(emb?.name),
      emb?.public === undefined ? null : emb.public ? 1 : 0,
      n(emb?.result),
      n(emb?.consultation),
    );
    if (emb?.resolutionFile) agendaFiles.push(['resolutionFile', emb.resolutionFile]);
    for (const f of emb?.auxiliaryFile ?? []) agendaFiles.push(['agendaItemFile', f]);
  });
  writeFiles(
    db,
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
  writeWebLink(db, m.id, 'meeting', m.web, isNew);
}
