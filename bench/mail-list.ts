/**
 * Mail list benchmark (issue 4, UI side). The message list is virtualized and pages its rows from the
 * vault by offset/limit as they scroll into view; this measures what one page costs at 100,000 messages
 * in one folder, anywhere in the list (top, middle, the very end), through MailQueryRepository.listPage on an
 * encrypted vault — the call the renderer makes per 100 rows. Named baseline: the same page read from a
 * plain JavaScript array slice (the floor of "having all rows in memory"), reported for orientation.
 * The conversation view's page (MailQueryRepository.conversationPage: the folder grouped per call) is measured
 * on the same inbox, its messages in conversations of three, newest first and by sender.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeychainService } from '../electron/services/keychain/keychain-service';
import { mailMigrations } from '../electron/services/mail/mail-migrations';
import { MailQueryRepository } from '../electron/services/mail/mail-query-repository';
import { MailSyncRepository, type NewMessage } from '../electron/services/mail/mail-sync-repository';
import { openVault } from '../electron/services/vault/vault';
import { startKeyring } from '../test/servers/keyring';

const MESSAGES = 100_000;
const PAGE = 100;
const SAMPLES = 300;
const CONVERSATION_SAMPLES = 30;
/** Messages per conversation in the inbox (every message after the first of three replies to that one). */
const THREAD = 3;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

/** The i-th message of the benches' big inbox (also bench/startup.ts's). */
export function message(i: number): NewMessage {
  return {
    folder: 'INBOX',
    uid: i + 1,
    messageId: `<bench-${i}@stadt.example>`,
    inReplyTo: null,
    references: [],
    subject: `Vorlage ${i}: Haushaltsplan und Beschlussvorschlag für den Ausschuss`,
    from: { name: `Bürgerbüro ${i % 50}`, address: `buero${i % 50}@stadt.example` },
    to: [{ name: 'Anna', address: 'anna@stadt.example' }],
    cc: [],
    date: Date.UTC(2020, 0, 1) + i * 60_000,
    size: 4000,
    flags: i % 3 === 0 ? ['\\Seen'] : [],
    hasAttachments: i % 7 === 0,
    bodyText: `Sehr geehrte Damen und Herren, anbei die Unterlagen zu Vorlage ${i}.`,
    source: null,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const keyring = await startKeyring();
  Object.assign(process.env, keyring.env);
  const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-bench-maillist-'));
  const keychain = new KeychainService(`ratsdesk-bench-${randomUUID()}`);
  try {
    const vault = await openVault({ file: join(dir, 'vault.db'), keychain, migrations: mailMigrations });
    const syncRepo = new MailSyncRepository(vault);
    const queryRepo = new MailQueryRepository(vault);
    syncRepo.setFolders([{ path: 'INBOX', name: 'INBOX', delimiter: '/', role: 'inbox' }]);
    const seedStart = performance.now();
    for (let i = 0; i < MESSAGES; i += 5000) {
      syncRepo.insertMessages(
        Array.from({ length: Math.min(5000, MESSAGES - i) }, (_, j) => {
          const n = i + j;
          const root = n - (n % THREAD);
          return { ...message(n), references: n === root ? [] : [`<bench-${root}@stadt.example>`] };
        }),
      );
    }
    const seedMs = performance.now() - seedStart;

    const offsets = Array.from({ length: SAMPLES }, (_, k) =>
      k % 3 === 0 ? 0 : k % 3 === 1 ? Math.floor(Math.random() * (MESSAGES - PAGE)) : MESSAGES - PAGE,
    );
    queryRepo.listPage('INBOX', 0, PAGE); // warm-up
    const byWhere: Record<'top' | 'middle' | 'end', number[]> = { top: [], middle: [], end: [] };
    const all: number[] = [];
    for (const [k, offset] of offsets.entries()) {
      const t = performance.now();
      const page = queryRepo.listPage('INBOX', offset, PAGE);
      const ms = performance.now() - t;
      if (page.items.length !== PAGE || page.total !== MESSAGES) throw new Error('unexpected page');
      all.push(ms);
      byWhere[k % 3 === 0 ? 'top' : k % 3 === 1 ? 'middle' : 'end'].push(ms);
    }
    const conversations = Math.ceil(MESSAGES / THREAD);
    const conversationMs = (sort: 'date' | 'sender') => {
      const times: number[] = [];
      for (let k = 0; k < CONVERSATION_SAMPLES; k++) {
        const offset = k % 2 === 0 ? 0 : Math.floor(Math.random() * (conversations - PAGE));
        const t = performance.now();
        const page = queryRepo.conversationPage('INBOX', offset, PAGE, sort);
        times.push(performance.now() - t);
        if (page.items.length !== PAGE || page.total !== conversations) throw new Error('unexpected conversation page');
      }
      return times;
    };
    const byDate = conversationMs('date');
    const bySender = conversationMs('sender');
    const rows = Array.from({ length: MESSAGES }, (_, i) => message(i));
    const base: number[] = [];
    for (const offset of offsets) {
      const t = performance.now();
      rows.slice(offset, offset + PAGE).map((m) => ({ ...m }));
      base.push(performance.now() - t);
    }
    vault.close();
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
      bench: 'mail-list',
      messages: MESSAGES,
      page_size: PAGE,
      seed_s: round(seedMs / 1000),
      page_p50_ms: round(percentile(all, 50)),
      page_p95_ms: round(percentile(all, 95)),
      page_p95_top_ms: round(percentile(byWhere.top, 95)),
      page_p95_middle_ms: round(percentile(byWhere.middle, 95)),
      page_p95_end_ms: round(percentile(byWhere.end, 95)),
      array_slice_p95_ms: round(percentile(base, 95)),
      conversations,
      conversation_page_p50_ms: round(percentile(byDate, 50)),
      conversation_page_p95_ms: round(percentile(byDate, 95)),
      conversation_page_by_sender_p95_ms: round(percentile(bySender, 95)),
      // One frame at 60 Hz is 16.7 ms: a page must load well within it to keep scrolling smooth.
      frame_budget_ms: 16.7,
    };
  } finally {
    await keychain.delete('vault-key').catch(() => false);
    rmSync(dir, { recursive: true, force: true });
    await keyring.stop();
  }
}
