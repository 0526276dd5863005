import type { AppIntent } from '../contract/app';
import { RatsdeskError } from '../contract/errors';
import { parseMailtoUrl } from './mailto-url';

/** More than this many waiting requests is no person's doing: the oldest go. */
const MAX_PENDING = 10;

/**
 * Requests from outside the window — a mailto: URL (command line, second instance, macOS open-url) or a
 * click on a new-mail notification — wait here until the renderer takes them. The renderer is only told
 * *that* something waits (no content: the app may be locked); it takes them with app.takeIntents, which
 * answers APP_LOCKED while locked, so a mailto: that arrived while locked opens after the unlock.
 */
export class PendingIntents {
  private readonly queue: AppIntent[] = [];

  constructor(private readonly notify: (count: number) => void = () => undefined) {}

  push(intent: AppIntent): void {
    this.queue.push(intent);
    while (this.queue.length > MAX_PENDING) this.queue.shift();
    this.notify(this.queue.length);
  }

  take(): AppIntent[] {
    return this.queue.splice(0);
  }

  get size(): number {
    return this.queue.length;
  }
}

/** app.takeIntents: nothing leaves while the app is locked (the renderer asks again after the unlock). */
export function takeIntentsUnlessLocked(intents: PendingIntents, isLocked: () => boolean): AppIntent[] {
  if (isLocked()) throw new RatsdeskError('APP_LOCKED');
  return intents.take();
}

/** The compose request of a mailto: URL, or undefined when the URL is not one the app takes. */
export function mailtoIntent(url: string): AppIntent | undefined {
  const parsed = parseMailtoUrl(url);
  return parsed.ok ? { kind: 'compose', ...parsed.value } : undefined;
}
