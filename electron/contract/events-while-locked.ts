import type { z } from 'zod';
import type { AnyEvent, EmitterOf, EventDef } from './define';
import type { Contract } from './index';

type EventNamesOf<D> = { [K in keyof D]: D[K] extends AnyEvent ? K : never }[keyof D];
type PayloadOf<E> = E extends EventDef<infer P> ? z.input<P> : never;

/**
 * What an event may carry while the app is locked: `send` (no content in it), `withhold` (dropped), or a
 * function that cuts the payload down. Typed over the whole contract: an event added later does not
 * compile until someone decided here what it may say while the app is locked.
 */
type LockedEventRules = {
  [D in keyof Contract as EventNamesOf<Contract[D]> extends never ? never : D]: {
    [E in EventNamesOf<Contract[D]>]:
      'send' | 'withhold' | ((payload: PayloadOf<Contract[D][E]>) => PayloadOf<Contract[D][E]>);
  };
};

export const eventsWhileLocked: LockedEventRules = {
  mailSync: {
    // Folder names and progress say what is being worked on: nothing while locked.
    syncProgress: 'withhold',
    offlineProgress: 'withhold',
    // New mail: how many, nothing else — no subject, sender, preview or folder. The OS notification says the
    // same (electron/main/new-mail-notification.ts).
    newMail: ({ count }) => ({ folder: '', count, items: [] }),
    syncConnectionState: ({ state, retryInMs, error }) => ({
      state,
      ...(retryInMs === undefined ? {} : { retryInMs }),
      ...(error ? { error: { code: error.code } } : {}),
    }),
  },
  // Outbox items carry subjects and recipients.
  compose: { outboxChanged: 'withhold' },
  // The offline pack's queue is counts only (no meeting named): it may say that it paused.
  ris: { syncProgress: 'withhold', offlineProgress: 'withhold', offlinePackChanged: 'send' },
  lock: { locked: 'send' },
  // A menu command names only the command, pending intents (mailto:, a notification click) only how many;
  // whatever they would open is behind the call gate (app.takeIntents).
  app: { menuCommand: 'send', intentsPending: 'send' },
  // A reminder names the meeting (and so the bodies the person follows): while locked only when it begins.
  // "Notes changed" names no note; the renderer asks for them (behind the call gate) once unlocked.
  notes: { changed: 'send' },
  calendar: {
    meetingReminder: ({ start, minutes }) => ({ meetingId: '', title: '', start, location: '', minutes }),
  },
};

type LooseRule = 'send' | 'withhold' | ((payload: unknown) => unknown);

/**
 * Puts the lock in front of every event, as the dispatcher does for every call: while `isLocked()`, each
 * event goes out only as `eventsWhileLocked` allows. An event missing from the table is withheld.
 */
export function gateEventsWhileLocked(
  emit: EmitterOf<Contract> | undefined,
  isLocked: () => boolean,
): EmitterOf<Contract> | undefined {
  if (!emit) return undefined;
  const rules = eventsWhileLocked as unknown as Record<string, Record<string, LooseRule | undefined>>;
  return (domain, name, payload) => {
    if (!isLocked()) return emit(domain, name, payload);
    const rule = rules[domain]?.[name] ?? 'withhold';
    if (rule === 'withhold') return;
    emit(domain, name, (rule === 'send' ? payload : rule(payload)) as typeof payload);
  };
}
