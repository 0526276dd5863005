import type { ImapFlow } from 'imapflow';
import { closeImap } from './imap-connection';
import { connectSyncClient } from './imap-sync';

export interface IdleWatcherEvents {
  /** Something changed in the watched folder (new mail, expunge or flags): time to sync it. */
  onChange(folder: string): void;
  /** The IDLE connection ended on its own (server gone, network lost). */
  onClosed(err: unknown): void;
  /** The folder is now selected for IDLE; `selectedUidNext` tells what the server had at that moment. */
  onSelected?(folder: string): void;
}

/**
 * The one extra connection of an account: IDLE on the folder the person has open. It never fetches
 * anything itself; it only tells the sync that the folder changed.
 */
export class IdleWatcher {
  private client: ImapFlow | undefined;
  private folder: string | undefined;
  private uidNextAtSelect: number | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly makeClient: () => Promise<ImapFlow>,
    private readonly events: IdleWatcherEvents,
  ) {}

  get watching(): string | undefined {
    return this.client?.usable ? this.folder : undefined;
  }

  /**
   * UIDNEXT of the watched folder as the SELECT on the IDLE connection saw it. Mail that arrived before that
   * SELECT never comes as an EXISTS notice, so the sync compares this with what it stored.
   */
  selectedUidNext(folder: string): number | undefined {
    return this.watching === folder ? this.uidNextAtSelect : undefined;
  }

  private pending: Promise<void> = Promise.resolve();

  /** Start (or move) IDLE to `folder`. Connects a fresh client when there is none. Calls run one at a time. */
  watch(folder: string): Promise<void> {
    const next = this.pending.then(
      () => this.watchNow(folder),
      () => this.watchNow(folder),
    );
    // The caller of `next` gets its error; the queue only keeps the calls in order.
    this.pending = next.catch(() => undefined);
    return next;
  }

  private async watchNow(folder: string): Promise<void> {
    this.stopped = false;
    this.folder = undefined;
    let client = this.client;
    if (!client?.usable) {
      client = await this.makeClient();
      await connectSyncClient(client);
      if (this.stopped) {
        client.close();
        return;
      }
      this.client = client;
      const c = client;
      c.on('exists', (e: { path: string; count: number; prevCount: number }) => {
        if (e.count > e.prevCount) this.events.onChange(e.path);
      });
      c.on('expunge', (e: { path: string }) => this.events.onChange(e.path));
      c.on('flags', (e: { path: string }) => this.events.onChange(e.path));
      c.on('close', () => {
        if (this.client !== c) return;
        this.client = undefined;
        if (!this.stopped) this.events.onClosed(new Error('IDLE connection closed'));
      });
    }
    // Opening another mailbox ends a running IDLE; the loop below starts it again there.
    const box = await client.mailboxOpen(folder, { readOnly: true });
    // Only now is the folder selected on the IDLE connection: `watching` reports it from here on.
    this.uidNextAtSelect = box.uidNext;
    this.folder = folder;
    this.events.onSelected?.(folder);
    if (!this.loop) this.loop = this.idleLoop(client).finally(() => (this.loop = undefined));
  }

  private async idleLoop(client: ImapFlow): Promise<void> {
    while (!this.stopped && client.usable && this.client === client) {
      // A mailbox switch (watch) is several commands (LIST, LSUB, EXAMINE). IDLE restarted between two of
      // them is never broken by the next one: the switch would hang until the server ends the IDLE. So IDLE
      // starts again only once every requested switch is done; nothing is awaited between this check and
      // idle(), and a switch requested later breaks the new IDLE with its first command.
      await this.pending;
      if (this.stopped || !client.usable || this.client !== client) return;
      const started = Date.now();
      try {
        await client.idle({ whenFree: true });
      } catch {
        // IDLE ended with the connection (closed, dropped): the 'close' handler restarts it later.
        return;
      }
      // Never spin if IDLE keeps ending at once.
      if (Date.now() - started < 50) await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    if (client) await closeImap(client);
    await this.loop;
  }

  async dispose(): Promise<void> {
    await this.stop();
  }
}
