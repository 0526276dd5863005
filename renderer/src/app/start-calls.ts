import type { RatsdeskApi } from '../../../electron/contract';
import type { ListPageInput } from '../../../electron/contract/mail-sync';
import { loadConversationView } from '../features/mail/conversation-view-setting';
import { PAGE_SIZE } from '../features/mail/mail-state';
import { api } from '../ratsdesk-api';
import { areas, loadAreaView } from './areas';
import { onLock } from './lock-registry';
import { startAreaFrom, windowHash } from './navigation-store';

/**
 * The calls the first screen waits for, asked the moment the start script runs (#15 target 4): main.tsx
 * imports this module first, so the account's status and restore, and then the first data of the area the
 * window opens at, travel while React, i18n and the features are still being loaded and rendered. Without
 * it they left one after another, each only once the component that needs it had rendered.
 *
 * First of all it asks for the script of that area's view (each area's view is its own script, areas.ts).
 *
 * Each answer is taken once, by the store that would otherwise have asked the same question at start
 * (`startCallOr`): later calls (a refresh, the start again after unlocking) ask the services anew.
 * An answer not taken within a few seconds, or any answer when the app locks, is dropped: it could be stale.
 */

type Answer<D extends keyof RatsdeskApi, N extends keyof RatsdeskApi[D]> = RatsdeskApi[D][N] extends (
  ...args: never[]
) => Promise<infer R>
  ? R
  : never;

interface StartCalls {
  status: Answer<'account', 'status'>;
  /** Asked only when the status says an account is configured (undefined otherwise). */
  restore: Answer<'account', 'restore'> | undefined;
  folders: Answer<'mailSync', 'folders'> | undefined;
  listPage: Answer<'mailSync', 'listPage'> | undefined;
  bodies: Answer<'ris', 'bodies'> | undefined;
  upcomingMeetings: Answer<'ris', 'upcomingMeetings'> | undefined;
}
type StartCallName = keyof StartCalls;

interface Early<T> {
  /** The input the call was asked with (as JSON): a different question does not get this answer. */
  input: string;
  answer: Promise<T>;
  /** When the answer came (performance.now()), for the freshness limit. */
  at?: number;
}

/** An answer older than this (from its arrival to its taking) is not used: the store asks again. */
const FRESH_MS = 5000;

const early = new Map<StartCallName, Early<unknown>>();

function keep<K extends StartCallName>(
  name: K,
  input: unknown,
  answer: Promise<StartCalls[K]>,
): Promise<StartCalls[K]> {
  const entry: Early<StartCalls[K]> = { input: JSON.stringify(input ?? null), answer };
  early.set(name, entry);
  void answer.then(
    () => (entry.at = performance.now()),
    () => early.delete(name),
  );
  return answer;
}

/**
 * The answer asked at start for `name` with this `input`, once; else (not asked, asked with another input,
 * already taken, too old, dropped by a lock, or not asked because the account was not restored) `ask()`.
 */
export async function startCallOr<K extends StartCallName>(
  name: K,
  input: unknown,
  ask: () => Promise<NonNullable<StartCalls[K]>>,
): Promise<NonNullable<StartCalls[K]>> {
  const entry = early.get(name) as Early<StartCalls[K]> | undefined;
  early.delete(name);
  const usable =
    entry !== undefined &&
    entry.input === JSON.stringify(input ?? null) &&
    (entry.at === undefined || performance.now() - entry.at <= FRESH_MS);
  return (usable ? await entry.answer : undefined) ?? ask();
}

/** The message list's first page of the inbox, exactly as the mail store asks for it at start. */
function firstInboxPage(): ListPageInput {
  return { folder: 'INBOX', offset: 0, limit: PAGE_SIZE, sort: 'date', conversations: loadConversationView() };
}

/** How many upcoming meetings the council area lists (its store asks for the same number). */
export const RIS_UPCOMING_LIMIT = 100;

function askAtStart(): void {
  // Outside a window with the preload's api (a unit test importing a store) there is nothing to ask.
  if (typeof window === 'undefined' || !(window as { ratsdesk?: RatsdeskApi }).ratsdesk) return;
  // The view of the area the window opens at is its own script: asked for first, before the calls (whose work
  // in the main process would otherwise delay serving it), so it is there when React renders and not requested
  // only once the shell rendered. A failure is left to the shell, which loads it again.
  const area = startAreaFrom(windowHash());
  const view = areas.find((v) => v.id === area);
  if (view) loadAreaView(view).catch(() => undefined);
  const a = api();
  const status = keep('status', undefined, a.account.status());
  // Asked beside the status, not after it: without an account it only answers NO_ACCOUNT, and locked
  // APP_LOCKED, like every call. Its answer counts only when the status says an account is configured (else a
  // start after unlocking or signing in asks anew).
  const restoreAsked = a.account.restore();
  restoreAsked.catch(() => undefined); // not awaited when the status says no account
  const restore = keep(
    'restore',
    undefined,
    status.then((s) => (s.ok && s.value.configured ? restoreAsked : undefined)),
  );
  // The area's first data needs the vault open, i.e. a restored account.
  const restored = restore.then((r) => r?.ok === true);
  if (area === 'mail') {
    const input = firstInboxPage();
    keep(
      'folders',
      undefined,
      restored.then((ok) => (ok ? a.mailSync.folders() : undefined)),
    );
    keep(
      'listPage',
      input,
      restored.then((ok) => (ok ? a.mailSync.listPage(input) : undefined)),
    );
  } else if (area === 'ris') {
    keep(
      'bodies',
      undefined,
      restored.then((ok) => (ok ? a.ris.bodies() : undefined)),
    );
    const input = { limit: RIS_UPCOMING_LIMIT };
    keep(
      'upcomingMeetings',
      input,
      restored.then((ok) => (ok ? a.ris.upcomingMeetings(input) : undefined)),
    );
  }
}

// Decrypted content must not wait in memory behind a lock screen.
onLock(() => early.clear());
askAtStart();
