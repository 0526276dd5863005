import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftInput } from '../../electron/contract/compose';
import { KeychainService } from '../../electron/services/keychain/keychain-service';
import { Drafts } from '../../electron/services/mail/drafts';
import { draftsMigrations, outboxMigrations } from '../../electron/services/mail/mail-migrations';
import {
  ImapFolderAccess,
  resolveSpecialFolder,
  type MailFolderAccess,
} from '../../electron/services/mail/imap-folder-access';
import { parseMessage } from '../../electron/services/mail/message-parser';
import { openVault, type Vault } from '../../electron/services/vault/vault';
import { startDovecot, stopAndRemove, type DovecotServer } from '../servers/dovecot';
import { RatsdeskError } from '../../electron/contract/errors';

const anna = { user: 'anna', pass: 'geheim-123' };
let dovecot: DovecotServer;
let imap: ImapFlow;
let folders: ImapFolderAccess;
let draftsFolder: string;
let dir: string;
let vault: Vault;
const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);

beforeAll(async () => {
  dovecot = await startDovecot({ users: [anna] });
  imap = new ImapFlow({
    host: '127.0.0.1',
    port: dovecot.imapsPort,
    secure: true,
    auth: anna,
    tls: { ca: [dovecot.cert.caPem] },
    logger: false,
  });
  await imap.connect();
  folders = new ImapFolderAccess((work) => work(imap));
  draftsFolder = (await resolveSpecialFolder(imap, '\\Drafts'))!;
  dir = mkdtempSync(join(tmpdir(), 'ratsdesk-drafts-'));
  vault = await openVault({
    file: join(dir, 'vault.db'),
    keychain,
    migrations: [...outboxMigrations, ...draftsMigrations],
  });
});

afterAll(async () => {
  vault?.close();
  await imap?.logout().catch(() => undefined);
  await stopAndRemove(dovecot);
  await keychain.delete('vault-key').catch(() => false);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function drafts(access: MailFolderAccess = folders): Drafts {
  return new Drafts({
    vault,
    folders: access,
    draftsFolder,
    from: { name: 'Anna Schöne', address: 'anna@stadt.example' },
    resolveAttachments: async (refs) =>
      refs.map((r) => ({
        filename: r.kind === 'document' ? `${r.documentId}.pdf` : 'x.bin',
        mimeType: 'application/pdf',
        content: new TextEncoder().encode('%PDF-1.4'),
      })),
    remoteDelayMs: 60_000,
  });
}

function input(subject: string, text: string, id?: string): DraftInput {
  return {
    id,
    to: [{ name: 'Fraktion', address: 'fraktion@stadt.example' }],
    cc: [],
    bcc: [],
    subject,
    text,
    html: null,
    inReplyTo: null,
    references: [],
    attachments: [{ kind: 'document', documentId: 'vorlage-2026-017' }],
    forwarded: false,
  };
}

/** The server's Drafts folder: uid, flags and parsed subject of every message. */
async function serverDrafts(): Promise<{ uid: number; flags: string[]; subject: string; text: string }[]> {
  const lock = await imap.getMailboxLock(draftsFolder, { readOnly: true });
  try {
    if (!imap.mailbox || imap.mailbox.exists === 0) return [];
    const all = await imap.fetchAll('1:*', { uid: true, flags: true, source: true });
    const out = [];
    for (const m of all) {
      const p = await parseMessage(m.source!);
      out.push({ uid: m.uid, flags: [...(m.flags ?? [])], subject: p.subject, text: p.text });
    }
    return out;
  } finally {
    lock.release();
  }
}

describe('drafts autosave to the vault and the Drafts folder', () => {
  it('saves to the vault, appends to Drafts, and replaces the previous server copy by UID on every save', async () => {
    const d = drafts();
    try {
      const first = d.save(input('Antrag Radweg', 'Erster Entwurf'));
      expect(first.syncedToServer).toBe(false);
      await d.syncRemote();
      const afterFirst = await serverDrafts();
      expect(afterFirst).toHaveLength(1);
      expect(afterFirst[0]!.subject).toBe('Antrag Radweg');
      expect(afterFirst[0]!.flags).toContain('\\Draft');
      expect(d.remoteUid(first.id)).toBe(afterFirst[0]!.uid);
      expect(d.list()[0]!.syncedToServer).toBe(true);

      d.save(input('Antrag Radweg (überarbeitet)', 'Zweiter Entwurf', first.id));
      d.save(input('Antrag Radweg (final)', 'Dritter Entwurf', first.id));
      await d.syncRemote();
      const afterThird = await serverDrafts();
      expect(afterThird).toHaveLength(1);
      expect(afterThird[0]!.subject).toBe('Antrag Radweg (final)');
      expect(afterThird[0]!.text).toContain('Dritter Entwurf');
      expect(afterThird[0]!.uid).not.toBe(afterFirst[0]!.uid);
      expect(d.get(first.id).subject).toBe('Antrag Radweg (final)');

      expect(d.remove(first.id)).toBe(true);
      await d.syncRemote();
      expect(await serverDrafts()).toHaveLength(0);
      expect(() => d.get(first.id)).toThrow(RatsdeskError);
    } finally {
      d.dispose();
    }
  });

  it('a draft to be encrypted is not left readable on the server; its switches open again with it', async () => {
    const d = drafts();
    try {
      const plain = d.save(input('Personalsache', 'Noch unverschlüsselt'));
      await d.syncRemote();
      expect((await serverDrafts()).map((m) => m.subject)).toEqual(['Personalsache']);
      // The person switches encryption on and goes on writing: the plain copy leaves the server, no new one comes.
      d.save({ ...input('Personalsache', 'Vertraulicher Text', plain.id), smime: { sign: true, encrypt: true } });
      await d.syncRemote();
      expect(await serverDrafts()).toEqual([]);
      expect(d.get(plain.id).smime).toEqual({ sign: true, encrypt: true });
      expect(d.list().find((x) => x.id === plain.id)).toMatchObject({
        subject: 'Personalsache',
        syncedToServer: false,
      });
      // Signed only, the draft goes to the server as before (nothing in it is meant to be secret).
      const signed = d.save({ ...input('Rundschreiben', 'Signiert'), smime: { sign: true, encrypt: false } });
      await d.syncRemote();
      expect((await serverDrafts()).map((m) => m.subject)).toEqual(['Rundschreiben']);
      expect(d.get(signed.id).smime).toEqual({ sign: true, encrypt: false });
      expect(d.list().find((x) => x.id === signed.id)?.syncedToServer).toBe(true);
      d.remove(plain.id);
      d.remove(signed.id);
      await d.syncRemote();
      expect(await serverDrafts()).toEqual([]);
    } finally {
      d.dispose();
    }
  });

  it('keeps saving offline and catches up with the server later, leaving one copy', async () => {
    const offline: MailFolderAccess = {
      findByMessageId: async () => {
        throw new RatsdeskError('NOT_CONNECTED');
      },
      append: async () => {
        throw new RatsdeskError('NOT_CONNECTED');
      },
      deleteUid: async () => {
        throw new RatsdeskError('NOT_CONNECTED');
      },
    };
    const off = drafts(offline);
    let id: string;
    try {
      id = off.save(input('Offline geschrieben', 'im Zug')).id;
      off.save(input('Offline geschrieben', 'im Zug, ergänzt', id));
      await expect(off.syncRemote()).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
      expect(off.list().find((s) => s.id === id)?.syncedToServer).toBe(false);
    } finally {
      off.dispose();
    }
    // Back online (a new instance, as after a restart): the vault still has it and the server gets it.
    const on = drafts();
    try {
      expect(on.get(id).text).toBe('im Zug, ergänzt');
      await on.syncRemote();
      const server = await serverDrafts();
      expect(server.map((s) => s.subject)).toEqual(['Offline geschrieben']);
      // A copy left by an interrupted save (same draft Message-ID) is cleaned up by the next save.
      const stray = await folders.findByMessageId(draftsFolder, `<draft-${id}@stadt.example>`);
      expect(stray).toHaveLength(1);
      const lock = await imap.getMailboxLock(draftsFolder, { readOnly: true });
      let raw: Buffer;
      try {
        const fetched = await imap.fetchOne(String(stray[0]), { source: true }, { uid: true });
        if (!fetched || !fetched.source) throw new Error('stray draft copy not fetched');
        raw = fetched.source;
      } finally {
        lock.release();
      }
      await folders.append(draftsFolder, raw, ['\\Draft']);
      expect(await serverDrafts()).toHaveLength(2);
      on.save(input('Offline geschrieben', 'fertig', id));
      await on.syncRemote();
      const final = await serverDrafts();
      expect(final).toHaveLength(1);
      expect(final[0]!.text).toContain('fertig');
      on.remove(id);
      await on.syncRemote();
    } finally {
      on.dispose();
    }
  });
});
