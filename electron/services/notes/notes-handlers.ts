import type { RatsdeskHandlers } from '../../contract';
import type { NotesService } from './notes-service';

/** The `notes` domain's calls over the notes of the open vault (opened on first use). */
export function notesHandlers(notes: () => Promise<NotesService>): RatsdeskHandlers['notes'] {
  return {
    of: async (target) => (await notes()).of(target),
    all: async () => (await notes()).all(),
    collected: async (scope) => (await notes()).collected(scope),
    exportMeeting: async (input) => (await notes()).exportMeeting(input),
    save: async (input) => (await notes()).save(input),
    delete: async ({ id }) => (await notes()).delete(id),
    syncNow: async () => (await notes()).syncNow(),
    syncState: async () => (await notes()).syncState(),
    recoveryCode: async () => (await notes()).recoveryCode(),
    enterRecoveryCode: async ({ code }) => (await notes()).enterRecoveryCode(code),
  };
}
