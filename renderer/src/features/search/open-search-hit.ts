import type { NoteTarget } from '../../../../electron/contract/notes';
import type { SearchAllHit } from '../../../../electron/contract/search';
import { useNavigation } from '../../app/navigation-store';
import { useDocuments } from '../documents/documents-store';
import { showMessageById } from '../mail/show-message';
import { useRis } from '../ris/ris-store';

/** Opens what a note is about: its document at the note's page, its paper or its meeting. */
async function openNoteTarget(target: NoteTarget, page: number | null, meetingId: string | null): Promise<void> {
  const { showArea } = useNavigation.getState();
  switch (target.kind) {
    case 'document':
      showArea('documents');
      useDocuments.getState().open(target.ref, undefined, page ? { page, words: [] } : undefined);
      return;
    case 'paper':
      showArea('ris');
      await useRis.getState().navigate({ view: 'paper', id: target.ref });
      return;
    case 'meeting':
      showArea('ris');
      await useRis.getState().navigate({ view: 'meeting', id: target.ref });
      return;
    case 'agendaItem':
      if (!meetingId) return;
      showArea('ris');
      await useRis.getState().navigate({ view: 'meeting', id: meetingId });
      return;
  }
}

/** Opens what a hit of "Überall suchen" stands for, where it lives in the app. */
export async function openSearchHit(hit: SearchAllHit): Promise<void> {
  const { showArea } = useNavigation.getState();
  switch (hit.kind) {
    case 'mail':
      showArea('mail');
      await showMessageById(hit.messageId);
      return;
    case 'paper':
      showArea('ris');
      await useRis.getState().navigate({ view: 'paper', id: hit.paperId });
      return;
    case 'meeting':
    case 'agendaItem':
      showArea('ris');
      await useRis.getState().navigate({ view: 'meeting', id: hit.meetingId });
      return;
    case 'document':
      showArea('documents');
      // At the page of the hit, its words highlighted.
      useDocuments.getState().open(hit.documentId, undefined, { page: hit.page, words: hit.words });
      return;
    case 'note':
      await openNoteTarget(hit.target, hit.page, hit.meetingId);
      return;
  }
}
