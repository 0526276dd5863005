import { foldGerman } from '../search/german-folding';
import type { NoteBody } from './note-envelope';

/** What "Überall suchen" finds a note by: its text, the quoted passage and the name of what it is about. */
export function noteIndexText(body: NoteBody): string {
  return foldGerman([body.text, body.anchor?.exact ?? '', body.targetTitle ?? ''].join('\n'));
}
