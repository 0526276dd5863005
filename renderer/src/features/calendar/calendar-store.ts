import { create } from 'zustand';
import type { CalendarDate } from '../../../../electron/contract/calendar';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import { onLock } from '../../app/lock-registry';
import { api } from '../../ratsdesk-api';
import { type CalendarMode, startOfDay, stepAnchor, visibleRange } from './calendar-range';

/** What the last export said, for the status line. */
export type ExportOutcome = { saved: true; exported: number } | { saved: false } | { error: ErrorInfo };

interface CalendarState {
  mode: CalendarMode;
  /** A day inside the shown period. */
  anchor: Date;
  /** "Alle Gremien": meetings of all bodies, not only of the person's. */
  allBodies: boolean;
  dates: CalendarDate[];
  /** The period the dates belong to (an answer for an older request is dropped). */
  loadedKey: string | undefined;
  loading: boolean;
  error: ErrorInfo | undefined;
  /** Why council meetings are missing (no RIS configured, vault problem), while own dates still show. */
  councilError: ErrorInfo | undefined;
  exporting: boolean;
  exportOutcome: ExportOutcome | undefined;

  setMode(mode: CalendarMode): Promise<void>;
  step(direction: -1 | 1): Promise<void>;
  today(): Promise<void>;
  setAnchor(day: Date): void;
  setAllBodies(all: boolean): Promise<void>;
  load(): Promise<void>;
  /** One meeting, or all meetings of the person's bodies, through the host's save dialog. */
  exportMeetings(meetingId: string | undefined, language: 'de' | 'en'): Promise<void>;
}

function rangeKey(mode: CalendarMode, anchor: Date, allBodies: boolean): string {
  const { from, to } = visibleRange(mode, anchor);
  return `${from.toISOString()}/${to.toISOString()}/${allBodies ? 'all' : 'mine'}`;
}

export const useCalendar = create<CalendarState>((set, get) => ({
  mode: 'week',
  anchor: startOfDay(new Date()),
  allBodies: false,
  dates: [],
  loadedKey: undefined,
  loading: false,
  error: undefined,
  councilError: undefined,
  exporting: false,
  exportOutcome: undefined,

  async setMode(mode) {
    set({ mode });
    await get().load();
  },
  async step(direction) {
    set({ anchor: stepAnchor(get().mode, get().anchor, direction) });
    await get().load();
  },
  async today() {
    set({ anchor: startOfDay(new Date()) });
    await get().load();
  },
  setAnchor(day) {
    // Moving the focus inside the shown period: no new load.
    set({ anchor: startOfDay(day) });
  },
  async setAllBodies(allBodies) {
    set({ allBodies });
    await get().load();
  },
  async load() {
    const { mode, anchor, allBodies } = get();
    const key = rangeKey(mode, anchor, allBodies);
    const { from, to } = visibleRange(mode, anchor);
    set({ loading: true, error: undefined });
    const r = await api().calendar.dates({
      from: from.toISOString(),
      to: to.toISOString(),
      bodies: allBodies ? 'all' : 'mine',
    });
    const now = get();
    if (rangeKey(now.mode, now.anchor, now.allBodies) !== key) return;
    if (r.ok) {
      set({ dates: r.value.dates, councilError: r.value.council ?? undefined, loadedKey: key, loading: false });
    } else set({ dates: [], error: r.error, loadedKey: key, loading: false });
  },
  async exportMeetings(meetingId, language) {
    set({ exporting: true, exportOutcome: undefined });
    const r = await api().app.saveMeetingCalendar({ ...(meetingId ? { meetingId } : {}), language });
    set({
      exporting: false,
      exportOutcome: !r.ok
        ? { error: r.error }
        : r.value.saved
          ? { saved: true, exported: r.value.exported }
          : { saved: false },
    });
  },
}));

// Locked: the dates (meeting names, invitations) leave the renderer's memory.
onLock(() => useCalendar.setState({ ...useCalendar.getInitialState(), anchor: startOfDay(new Date()) }, true));
