import { useEffect, useState } from 'react';
import type { Note } from '../../../../electron/contract/notes';
import { type Reanchored, reanchor } from '../../../../electron/contract/text-anchor';

/** What the anchoring needs of the viewer: a page's text as the page spells it. */
export type ReadPageText = (page: number) => Promise<string | undefined>;

/**
 * Where each highlight of a document sits in the file shown now. The quote is looked for where it was made
 * first (the usual case: the same file); only when it is not there are all pages read and the quote looked
 * for everywhere (a revised file). A quote found nowhere is `orphaned`: shown as "Text geändert" with the
 * old quote, never dropped.
 */
export function useNoteAnchors(
  notes: readonly Note[] | undefined,
  numPages: number,
  readPage: ReadPageText | undefined,
): Map<string, Reanchored> {
  const [placed, setPlaced] = useState(() => new Map<string, Reanchored>());
  useEffect(() => {
    if (!notes || !readPage || numPages === 0) return;
    let live = true;
    void (async () => {
      const out = new Map<string, Reanchored>();
      let all: string[] | undefined;
      for (const note of notes) {
        const anchor = note.body.anchor;
        if (!anchor) continue;
        const own = anchor.page <= numPages ? await readPage(anchor.page) : undefined;
        if (own !== undefined && own.slice(anchor.start, anchor.end) === anchor.exact) {
          out.set(note.id, {
            state: 'anchored',
            page: anchor.page,
            start: anchor.start,
            end: anchor.end,
            moved: false,
          });
          continue;
        }
        if (!all) {
          all = [];
          for (let p = 1; p <= numPages; p++) all.push((await readPage(p)) ?? '');
        }
        out.set(note.id, reanchor(anchor, all));
      }
      if (live) setPlaced(out);
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [notes, numPages, readPage]);
  return placed;
}
