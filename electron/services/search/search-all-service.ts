import { isRatsdeskError, RatsdeskError } from '../../contract/errors';
import type { MailListItem } from '../../contract/mail-sync';
import type { SearchHit } from '../../contract/ris';
import {
  type SearchAllGroup,
  type SearchAllHit,
  type SearchAllInput,
  SearchAllInputSchema,
  type SearchAllResult,
  type SearchKind,
  searchKinds,
} from '../../contract/search';
import type { DocumentTextHit } from '../documents/document-search';
import type { VaultDoor } from '../vault/vault-db';
import { type AgendaItemHit, searchAgendaItems } from './agenda-item-search-repository';
import { comparableTerms } from './search-snippet';

/** One source of hits; an unavailable one (no account, no council system) throws its RatsdeskError. */
export interface SearchAllSources {
  vault(): Promise<VaultDoor>;
  mail(query: string, limit: number): Promise<MailListItem[]>;
  council(query: string, limit: number): Promise<SearchHit[]>;
  documents(query: string, limit: number): Promise<DocumentTextHit[]>;
  notes?(query: string, limit: number): Promise<SearchAllHit[]>;
}

/** Codes that say "this kind cannot be searched here" rather than "something broke". */
const UNAVAILABLE = new Set(['NO_ACCOUNT', 'RIS_NOT_CONFIGURED', 'APP_LOCKED']);

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function mailHit(m: MailListItem): SearchAllHit {
  return {
    kind: 'mail',
    messageId: m.id,
    title: cut(m.subject || '', 1000),
    subtitle: cut(m.from.name ? `${m.from.name} <${m.from.address}>` : m.from.address, 1000),
    snippet: cut(m.preview, 600),
    date: m.date,
  };
}

function councilHit(h: SearchHit): SearchAllHit {
  const base = { title: cut(h.title ?? '', 1000), snippet: cut(h.snippet, 600) };
  return h.kind === 'paper'
    ? { kind: 'paper', paperId: h.id, subtitle: h.subtitle, date: null, ...base }
    : { kind: 'meeting', meetingId: h.id, subtitle: null, date: h.subtitle, ...base };
}

function agendaHit(a: AgendaItemHit): SearchAllHit {
  return {
    kind: 'agendaItem',
    meetingId: a.meetingId,
    agendaItemId: a.id,
    title: cut(a.number ? `${a.number} ${a.name}` : a.name, 1000),
    subtitle: a.meetingName ? cut(a.meetingName, 1000) : null,
    snippet: '',
    date: a.meetingStart,
  };
}

function documentHit(d: DocumentTextHit): SearchAllHit {
  return {
    kind: 'document',
    documentId: d.documentId,
    name: d.name,
    mimeType: d.mimeType,
    page: d.page,
    words: d.words.map((w) => w.slice(0, 200)),
    title: cut(d.name, 1000),
    subtitle: null,
    snippet: cut(d.snippet, 600),
    date: null,
  };
}

/** The words as the council data's index spells them (it folds case and diacritics itself, not ß). */
function councilWords(query: string): string[] {
  return query
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 16);
}

/**
 * "Überall suchen": one query over mail, council papers, meetings, agenda items, document text and notes,
 * all from the vault (offline). Each source answers its newest `limit` hits; a source that cannot answer
 * now (no account, no council system) is named in `unavailable`; any other failure (a vault that cannot be
 * read) fails the search with its code.
 */
export class SearchAllService {
  constructor(private readonly sources: SearchAllSources) {}

  async all(input: SearchAllInput): Promise<SearchAllResult> {
    const parsed = SearchAllInputSchema.safeParse(input);
    if (!parsed.success) throw new RatsdeskError('INVALID_INPUT', parsed.error.issues[0]?.message);
    const { query, limit } = parsed.data;
    if (comparableTerms(query).length === 0) return { groups: [], unavailable: [] };
    const unavailable = new Set<SearchKind>();
    const hits = new Map<SearchKind, SearchAllHit[]>();
    const gather = async (kinds: SearchKind[], run: () => Promise<SearchAllHit[]>) => {
      try {
        for (const h of await run()) {
          const list = hits.get(h.kind) ?? [];
          if (list.length < limit) list.push(h);
          hits.set(h.kind, list);
        }
      } catch (err) {
        if (isRatsdeskError(err) && UNAVAILABLE.has(err.code)) kinds.forEach((k) => unavailable.add(k));
        else throw err;
      }
    };
    const s = this.sources;
    await Promise.all([
      gather(['mail'], async () => (await s.mail(query, limit)).map(mailHit)),
      gather(['paper', 'meeting', 'agendaItem'], async () => {
        const council = (await s.council(query, limit * 2)).map(councilHit);
        const agenda = searchAgendaItems(await s.vault(), councilWords(query), comparableTerms(query), limit);
        return [...council, ...agenda.map(agendaHit)];
      }),
      gather(['document'], async () => (await s.documents(query, limit)).map(documentHit)),
      ...(s.notes ? [gather(['note'], () => s.notes!(query, limit))] : []),
    ]);
    const groups: SearchAllGroup[] = [];
    for (const kind of searchKinds) {
      const list = hits.get(kind);
      if (list && list.length > 0) groups.push({ kind, hits: list });
    }
    return { groups, unavailable: [...unavailable] };
  }
}
