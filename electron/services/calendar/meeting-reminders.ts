import type { CouncilMeeting } from './calendar-service';

/** What the host shows as a desktop notification before a meeting of the person's bodies. */
export interface MeetingReminder {
  meetingId: string;
  title: string;
  start: string;
  location: string;
  /** Whole minutes until the start (rounded up). */
  minutes: number;
}

export interface MeetingRemindersOptions {
  /** The person's setting (policy key meetingReminderMinutes): minutes ahead, or null when reminders are off. */
  leadMinutes: () => Promise<number | null>;
  /** Meetings of the person's bodies starting in [from, to]. */
  meetings: (from: Date, to: Date) => Promise<CouncilMeeting[]>;
  remind: (reminder: MeetingReminder) => void;
  /** A look that failed (the RIS data unreadable): logged; the next minute tries again. */
  onError?: (err: unknown) => void;
  now?: () => Date;
  /** How often to look (default once a minute). */
  checkEveryMs?: number;
}

const CHECK_EVERY_MS = 60_000;
/** Reminded meetings are remembered this long (a moved meeting is reminded again at its new time). */
const REMEMBERED = 2000;

/**
 * Reminds of meetings of the person's bodies: once a minute it looks for meetings starting within the person's
 * lead time (none when the setting is off, the default) and reminds of each once per start time. A meeting
 * cancelled in the RIS or without a start is left out. Owns its timer: `dispose` stops it.
 */
export class MeetingReminders {
  private timer: NodeJS.Timeout | undefined;
  private readonly reminded = new Set<string>();
  private checking: Promise<MeetingReminder[]> | undefined;
  private readonly now: () => Date;
  private disposed = false;

  constructor(private readonly options: MeetingRemindersOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.check().catch((err: unknown) => this.options.onError?.(err)),
      this.options.checkEveryMs ?? CHECK_EVERY_MS,
    );
    this.timer.unref();
  }

  /** One look (the timer's, or a test's); reminds of what is due and returns it. */
  check(): Promise<MeetingReminder[]> {
    this.checking ??= this.run().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async run(): Promise<MeetingReminder[]> {
    const lead = await this.options.leadMinutes();
    // Disposed meanwhile (the vault closed): a late look must not open it again.
    if (this.disposed || lead === null || lead <= 0) return [];
    const now = this.now();
    // [from, to) with the lead's last minute included.
    const meetings = await this.options.meetings(now, new Date(now.getTime() + lead * 60_000 + 1));
    const due: MeetingReminder[] = [];
    for (const m of meetings) {
      if (m.cancelled || !m.start) continue;
      const start = Date.parse(m.start);
      if (!Number.isFinite(start) || start < now.getTime() || start > now.getTime() + lead * 60_000) continue;
      const key = `${m.id}\n${start}`;
      if (this.reminded.has(key)) continue;
      this.reminded.add(key);
      if (this.reminded.size > REMEMBERED) this.reminded.delete(this.reminded.values().next().value as string);
      due.push({
        meetingId: m.id,
        title: (m.name ?? m.organizations[0] ?? '').slice(0, 2000),
        start: new Date(start).toISOString(),
        location: (m.location ?? '').slice(0, 2000),
        minutes: Math.ceil((start - now.getTime()) / 60_000),
      });
    }
    if (this.disposed) return [];
    for (const reminder of due) this.options.remind(reminder);
    return due;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
