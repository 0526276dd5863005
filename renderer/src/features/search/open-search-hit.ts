import type { SearchAllHit } from '../../../../electron/contract/search';
import { useNavigation } from '../../app/navigation-store';
import type { DocumentPlace } from '../documents/documents-store';
import { useDocuments } from '../documents/documents-store';
import { showMessageById } from '../mail/show-message';
import { useRis } from '../ris/ris-store';

/** Where a hit opens: a mail, a paper or meeting in Ratsinfo, a document in the viewer (at a place). */
type Destination =
  | { kind: 'mail'; id: number }
  | { kind: 'paper' | 'meeting'; id: string }
  | { kind: 'document'; id: string; at: DocumentPlace | undefined }
  | { kind: 'nowhere' };

/** A note opens what it is about: its document at the note's page, its paper, its (agenda item's) meeting. */
function destinationOf(hit: SearchAllHit): Destination {
  switch (hit.kind) {
    case 'mail':
      return { kind: 'mail', id: hit.messageId };
    case 'paper':
      return { kind: 'paper', id: hit.paperId };
    case 'meeting':
    case 'agendaItem':
      return { kind: 'meeting', id: hit.meetingId };
    case 'document':
      // At the page of the hit, its words highlighted.
      return { kind: 'document', id: hit.documentId, at: { page: hit.page, words: hit.words } };
    case 'note': {
      const { kind, ref } = hit.target;
      // A document is opened as the cache has it now (a note outlives a file the cache let go).
      if (kind === 'document')
        return hit.documentId
          ? { kind, id: hit.documentId, at: hit.page ? { page: hit.page, words: [] } : undefined }
          : { kind: 'nowhere' };
      if (kind === 'agendaItem') return hit.meetingId ? { kind: 'meeting', id: hit.meetingId } : { kind: 'nowhere' };
      return { kind, id: ref };
    }
  }
}

/** Opens what a hit of "Überall suchen" stands for, where it lives in the app. */
export async function openSearchHit(hit: SearchAllHit): Promise<void> {
  const { showArea } = useNavigation.getState();
  const to = destinationOf(hit);
  switch (to.kind) {
    case 'mail':
      showArea('mail');
      await showMessageById(to.id);
      return;
    case 'paper':
    case 'meeting':
      showArea('ris');
      await useRis.getState().navigate({ view: to.kind, id: to.id });
      return;
    case 'document':
      showArea('documents');
      useDocuments.getState().open(to.id, undefined, to.at);
      return;
    case 'nowhere':
      return;
  }
}
