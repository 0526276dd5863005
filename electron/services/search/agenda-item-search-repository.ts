import type { VaultDoor } from '../vault/vault-db';
import { foldForComparison } from './german-folding';

export interface AgendaItemHit {
  id: string;
  meetingId: string;
  number: string | null;
  name: string;
  meetingName: string | null;
  meetingStart: string | null;
}

interface AgendaCandidate {
  id: string;
  meeting_id: string;
  number: string | null;
  name: string | null;
  meeting_name: string | null;
  start: string | null;
}

/** Meetings whose agenda text is looked at per search (the RIS index finds them; items are checked here). */
const MEETINGS_SCANNED = 200;

/** Every term starts a word of `text` (folded alike: case, diacritics, ß). */
export function startsWordsOf(text: string, terms: readonly string[]): boolean {
  const folded = [...text].map(foldForComparison).join('');
  return terms.every((term) => {
    for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
      if (at === 0 || !/[\p{L}\p{N}]/u.test(folded.charAt(at - 1))) return true;
    }
    return false;
  });
}

/**
 * Agenda items by their title. The council data's own index (ris_meetings_fts, kept by the RIS sync) finds
 * the meetings whose agenda mentions the words; the items of those meetings whose title holds every word are
 * the hits. Read-only over the RIS tables.
 */
export function searchAgendaItems(
  vault: VaultDoor,
  words: readonly string[],
  terms: readonly string[],
  limit: number,
): AgendaItemHit[] {
  if (words.length === 0 || terms.length === 0) return [];
  const match = `agenda_text : (${words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ')})`;
  const candidates = vault.guard((db) =>
    db
      .prepare<[{ match: string; meetings: number }], AgendaCandidate>(
        `SELECT ai.id, ai.meeting_id, ai.number, ai.name, m.name AS meeting_name, m.start
         FROM ris_agenda_items ai JOIN ris_meetings m ON m.id = ai.meeting_id
         WHERE m.rowid IN (SELECT rowid FROM ris_meetings_fts WHERE ris_meetings_fts MATCH @match LIMIT @meetings)
         ORDER BY m.start DESC, ai.ord`,
      )
      .all({ match, meetings: MEETINGS_SCANNED }),
  );
  const hits: AgendaItemHit[] = [];
  for (const c of candidates) {
    if (!c.name || !startsWordsOf(c.name, terms)) continue;
    hits.push({
      id: c.id,
      meetingId: c.meeting_id,
      number: c.number,
      name: c.name,
      meetingName: c.meeting_name,
      meetingStart: c.start,
    });
    if (hits.length >= limit) break;
  }
  return hits;
}
