import type { ImapFlow } from 'imapflow';
import { isRatsdeskError, RatsdeskError } from '../../contract/errors';
import type {
  Note,
  NoteBodyInfo,
  NoteScope,
  NotesExportResult,
  NotesSyncState,
  NoteTarget,
} from '../../contract/notes';
import { sourceOfDocumentNoteRef } from '../../contract/notes';
import type { DocumentCache } from '../documents/document-cache';
import type { SearchAllHit } from '../../contract/search';
import type { Disposable } from '../lifetime/disposable-store';
import { describeError, silentLog, type Log } from '../log/log-service';
import { FtsPrefixMatch } from '../search/fts-prefix-match';
import { comparableTerms, snippetAround } from '../search/search-snippet';
import type { VaultDoor } from '../vault/vault-db';
import type { NoteVersion } from './note-envelope';
import type { NotesKeyStore } from './notes-key';
import { matchingNotes } from './notes-repository';
import { NotesStore } from './notes-store';
import { NOTES_FOLDER, syncNotes } from './notes-sync';
import { meetingNotesMarkdown } from './meeting-notes-markdown';
import { type CouncilLookup, scopeTargets } from './note-scope-targets';

export interface NotesServiceOptions {
  vault: VaultDoor;
  keys: NotesKeyStore;
  /**
   * Lends the signed-in account's IMAP connection (MailSyncService.withClient: in turn with the mail sync, one
   * connection per account). Throws NO_ACCOUNT or NOT_CONNECTED when there is none now.
   */
  withClient: <T>(work: (client: ImapFlow) => Promise<T>) => Promise<T>;
  /** While locked no round runs (the mail sync keeps going; the notes wait for the person). */
  isLocked?: () => boolean;
  /** Notes changed here or arrived from another device. */
  onChanged?: (reason: 'local' | 'sync') => void;
  log?: Log;
  /** Rounds on their own, like the mail sync's full poll (default 5 minutes). */
  pollMs?: number;
  /** A round this long after an edit, so a burst of edits goes up together (default 3 s). */
  afterChangeMs?: number;
  folder?: string;
  now?: () => Date;
  /** The council data in the vault: gathering a paper's or meeting's notes reads it. */
  council?: CouncilLookup;
  /** The policy's documentExportAllowed, read on every export. */
  exportAllowed?: () => Promise<boolean>;
  /** The document cache: an export is put there, for "Speichern unter …". */
  documents?: () => Promise<DocumentCache>;
}

/** Codes that mean "no connection to lend now": the notes wait in the vault for the next round. */
const OFFLINE = new Set(['NO_ACCOUNT', 'NOT_CONNECTED', 'CONNECTION_REFUSED', 'HOST_NOT_FOUND', 'TIMEOUT']);

const OFFLINE_RETRY_MS = 30_000;

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The person's notes, served to the `notes` domain: kept in the vault (NotesStore), found by "Überall suchen",
 * and carried to their other devices through the hidden notes folder on the account's own connection — after
 * an edit, on the mail sync's cadence, and when asked. Built on the open vault and disposed with it.
 */
export class NotesService implements Disposable {
  readonly store: NotesStore;
  private readonly log: Log;
  private readonly match: FtsPrefixMatch;
  private state: NotesSyncState = { state: 'idle', lastSyncAt: null, unreadable: 0, error: null };
  private running: Promise<NotesSyncState> | undefined;
  private again = false;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: NotesServiceOptions) {
    this.store = new NotesStore(options.vault, options.now ? { now: options.now } : {});
    this.log = options.log ?? silentLog;
    this.match = new FtsPrefixMatch(options.vault, 'notes_fts');
  }

  /** Starts the rounds on the mail cadence, and one now. */
  start(): void {
    if (this.disposed || this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.syncNow(), this.options.pollMs ?? 5 * 60_000);
    this.pollTimer.unref();
    this.soon();
  }

  /** The document a note on a document sits in now (looked up by its source), else null. */
  private async documentOf(target: NoteTarget): Promise<string | null> {
    if (target.kind !== 'document' || !this.options.documents) return null;
    const source = sourceOfDocumentNoteRef(target.ref);
    return (source && (await this.options.documents()).findBySource(source)?.id) ?? null;
  }

  private async toNotes(versions: readonly NoteVersion[]): Promise<Note[]> {
    const out: Note[] = [];
    for (const v of versions)
      out.push({
        id: v.noteId,
        updatedAt: v.updatedAt,
        conflictOf: v.conflictOf,
        body: v.body,
        documentId: await this.documentOf(v.body.target),
      });
    return out;
  }

  of(target: NoteTarget): Promise<Note[]> {
    return this.toNotes(this.store.of(target));
  }

  all(): Promise<Note[]> {
    return this.toNotes(this.store.all());
  }

  async save(input: { id?: string | undefined; body: NoteBodyInfo }): Promise<Note> {
    if (input.id) {
      const current = this.store.get(input.id);
      if (!current || current.deleted) throw new RatsdeskError('NOTE_NOT_FOUND');
    }
    const saved = this.store.save(input.body, input.id);
    this.changed();
    return (await this.toNotes([saved]))[0]!;
  }

  delete(id: string): void {
    this.store.delete(id);
    this.changed();
  }

  private changed(): void {
    this.options.onChanged?.('local');
    this.soon();
  }

  /** A round shortly (a burst of edits goes up together). */
  private soon(delayMs = this.options.afterChangeMs ?? 3_000): void {
    if (this.disposed) return;
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      void this.syncNow();
    }, delayMs);
    this.changeTimer.unref();
  }

  /** All notes of a paper or a meeting (see NoteScope), in the order of the agenda. */
  async collected(scope: NoteScope): Promise<Note[]> {
    return this.toNotes((await this.sections(scope)).flatMap((s) => s.notes));
  }

  private async sections(scope: NoteScope) {
    const council = this.options.council;
    if (!council) throw new RatsdeskError('RIS_NOT_CONFIGURED');
    return (await scopeTargets(scope, council)).map(({ target, place }) => ({
      place,
      notes: this.store.of(target).sort((a, b) => (a.body.page ?? 0) - (b.body.page ?? 0)),
    }));
  }

  /**
   * A meeting's notes as a Markdown file in the document cache (from there "Speichern unter …" writes it out,
   * under the same rule). Notes are the person's reading of council documents: they leave the app only where
   * the policy lets documents leave (documentExportAllowed) — decided here, whatever the UI shows.
   */
  async exportMeeting(input: { meetingId: string; language?: 'de' | 'en' | undefined }): Promise<NotesExportResult> {
    if (!(await (this.options.exportAllowed?.() ?? Promise.resolve(true)))) throw new RatsdeskError('EXPORT_FORBIDDEN');
    const documents = this.options.documents;
    const council = this.options.council;
    if (!documents || !council) throw new RatsdeskError('RIS_NOT_CONFIGURED');
    const meeting = await council.meeting(input.meetingId);
    const sections = await this.sections({ kind: 'meeting', ref: input.meetingId });
    const language = input.language ?? 'de';
    const markdown = meetingNotesMarkdown(meeting, sections, language);
    const base =
      (meeting.name ?? 'Sitzung')
        .replace(/[^\p{L}\p{N} ._-]+/gu, ' ')
        .trim()
        .slice(0, 120) || 'Sitzung';
    const name = `${language === 'de' ? 'Notizen' : 'Notes'} ${base}.md`;
    const meta = (await documents()).put({
      bytes: new TextEncoder().encode(markdown),
      name,
      mimeType: 'text/markdown',
      source: { kind: 'upload', ref: `notes-export:${input.meetingId}`.slice(0, 8000) },
    });
    return { documentId: meta.id, name: meta.name, notes: sections.reduce((n, s) => n + s.notes.length, 0) };
  }

  syncState(): NotesSyncState {
    return this.state;
  }

  /** One round with the notes folder (joining one that runs, then one more: an edit made meanwhile goes up). */
  syncNow(): Promise<NotesSyncState> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          await this.round();
        } while (this.again && !this.disposed);
        return this.state;
      } finally {
        this.running = undefined;
      }
    })();
    this.running = run;
    return run;
  }

  private async round(): Promise<void> {
    if (this.disposed || this.options.isLocked?.()) return;
    const before = this.state;
    this.state = { ...before, state: 'syncing' };
    try {
      const outcome = await this.options.withClient(async (client) => {
        let key = await this.options.keys.get();
        if (!key) {
          // Notes of another device are waiting: this one takes their key (recovery code), never makes its own.
          if (await this.folderHasNotes(client)) return 'needsRecoveryCode' as const;
          if (this.store.toUpload().length === 0) return undefined;
          key = await this.options.keys.getOrCreate();
        }
        return syncNotes(client, this.options.vault, this.store, key, this.options.folder);
      });
      if (outcome === 'needsRecoveryCode') {
        this.state = { ...before, state: 'needsRecoveryCode', error: null };
        return;
      }
      this.state = {
        state: 'idle',
        lastSyncAt: new Date().toISOString(),
        unreadable: outcome?.unreadable ?? 0,
        error: null,
      };
      if (outcome && (outcome.received > 0 || outcome.conflicts > 0)) this.options.onChanged?.('sync');
    } catch (err) {
      const code = isRatsdeskError(err) ? err.code : 'SERVER_ERROR';
      if (!OFFLINE.has(code)) this.log.warn('notes.sync-failed', describeError(err));
      this.state = { ...before, state: OFFLINE.has(code) ? 'offline' : 'failed', error: { code } };
      // The connection is not up yet (start, a dropped line): try again soon, not in 5 minutes.
      if (OFFLINE.has(code) && code !== 'NO_ACCOUNT') this.soon(OFFLINE_RETRY_MS);
    }
  }

  private async folderHasNotes(client: ImapFlow): Promise<boolean> {
    const folder = this.options.folder ?? NOTES_FOLDER;
    const list = await client.list();
    if (!list.some((f) => f.path === folder)) return false;
    const status = await client.status(folder, { messages: true });
    return status !== false && (status.messages ?? 0) > 0;
  }

  /** The recovery code of the notes key; NOTES_KEY_MISSING while this device has none. */
  async recoveryCode(): Promise<{ code: string }> {
    const key = await this.options.keys.get();
    if (!key) throw new RatsdeskError('NOTES_KEY_MISSING');
    return { code: await this.options.keys.recoveryCode() };
  }

  /** Takes the key of the person's other device, then reads the notes folder with it. */
  async enterRecoveryCode(code: string): Promise<NotesSyncState> {
    await this.options.keys.importRecoveryCode(code);
    return this.syncNow();
  }

  /** Notes for "Überall suchen": the vault's folding and prefix matching, newest first. */
  async search(query: string, limit: number): Promise<SearchAllHit[]> {
    const expression = this.match.expression(query);
    if (!expression) return [];
    const terms = comparableTerms(query);
    const found = this.options.vault.guard((db) => matchingNotes(db, expression, limit));
    const documentIds = await Promise.all(found.map((v) => this.documentOf(v.body.target)));
    return found.map((v, i) => {
      const b = v.body;
      const snippet = snippetAround([b.text, b.anchor?.exact ?? ''].filter(Boolean).join(' — '), terms);
      return {
        kind: 'note',
        noteId: v.noteId,
        target: b.target,
        page: b.page,
        meetingId: b.meetingId ?? null,
        documentId: documentIds[i] ?? null,
        title: cut(b.targetTitle ?? b.anchor?.exact ?? b.text, 1000),
        subtitle: null,
        snippet: cut(snippet.text, 600),
        date: v.updatedAt,
      };
    });
  }

  /** Stops the rounds and waits for one that runs (it ends with the connection it borrowed). */
  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.pollTimer = undefined;
    this.changeTimer = undefined;
    await this.running?.catch(() => undefined);
  }
}
