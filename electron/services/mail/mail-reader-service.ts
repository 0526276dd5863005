import type { AccountSettings } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type { MailListItem } from '../../contract/mail-sync';
import type { ReadMessage } from '../../contract/mail-reader';
import type { DocumentCache } from '../documents/document-cache';
import { recognizeRisLinks } from '../ris/link-recognizer';
import type { TlsTrust } from './imap-connection';
import type { MailQueryRepository } from './mail-query-repository';
import type { MessageSources } from './message-sources';
import { extractAttachment } from './message-parser';
import { fetchRemoteImage } from './remote-image-fetch';
import type { RemoteSendersRepository } from './remote-senders-repository';

export interface MailReaderServiceOptions {
  settings: AccountSettings;
  repository: MailQueryRepository;
  sources: MessageSources;
  remoteSenders: RemoteSendersRepository;
  documents: () => Promise<DocumentCache>;
  trust?: TlsTrust;
}

const MAX_SOURCE_SHOWN = 256 * 1024;

/**
 * The `mailReader` domain: one stored message parsed for reading (offline from the vault), its thread,
 * its attachments into the document cache, and the person's remote-content choices.
 */
export class MailReaderService {
  constructor(private readonly options: MailReaderServiceOptions) {}

  async read(id: number): Promise<ReadMessage> {
    const stored = this.options.repository.getMessage(id);
    const remoteAllowed = this.options.remoteSenders.isAllowed(stored.from.address);
    const parsed = await this.options.sources.parsedMessage(id);
    if (!parsed) {
      return {
        id,
        hasBody: false,
        text: '',
        html: null,
        attachments: [],
        councilLinks: [],
        parseError: null,
        source: null,
        remoteAllowed,
        smime: null,
      };
    }
    const body = parsed.html ?? parsed.text;
    const councilLinks = recognizeRisLinks(body).map((l) => ({
      url: l.url,
      product: l.product,
      kind: l.kind,
      id: l.id,
    }));
    let source: string | null = null;
    if (parsed.parseError) {
      const raw = await this.options.sources.source(id);
      source = raw ? raw.subarray(0, MAX_SOURCE_SHOWN).toString('latin1') : null;
    }
    return {
      id,
      hasBody: true,
      text: parsed.text,
      html: parsed.html,
      attachments: parsed.attachments.map((a) => ({ ...a })),
      councilLinks,
      parseError: parsed.parseError ? parsed.parseError.slice(0, 500) : null,
      source,
      remoteAllowed,
      smime: this.options.sources.smimeStatus(id),
    };
  }

  /** The thread around a message (see MailRepository.thread). */
  thread(id: number): MailListItem[] {
    return this.options.repository.thread(id);
  }

  /**
   * One attachment of a stored message into the encrypted document cache, for the in-app viewer. The
   * source reference names account, folder, UIDVALIDITY, UID and part, so opening it again finds the cached
   * copy (no second extraction) and a rebuilt folder never maps to another message's document.
   */
  async openAttachment(id: number, partId: string): Promise<string> {
    const m = this.options.repository.getMessage(id);
    const uidValidity = this.options.repository.uidValidity(m.folder);
    const { username, host } = this.options.settings;
    const source = {
      kind: 'message' as const,
      ref: [username, host, m.folder, uidValidity ?? '', String(m.uid), partId].map(encodeURIComponent).join('/'),
    };
    const cache = await this.options.documents();
    const cached = cache.findBySource(source);
    if (cached) return cached.id;
    const raw = await this.options.sources.requireSource(id);
    const part = await extractAttachment(raw, partId);
    return cache.put({ bytes: part.bytes, name: part.filename, mimeType: part.mimeType, source }).id;
  }

  isRemoteAllowed(address: string): boolean {
    return this.options.remoteSenders.isAllowed(address);
  }

  setSenderRemoteContent(address: string, allow: boolean): boolean {
    this.options.remoteSenders.set(address, allow);
    return allow;
  }

  /** One remote image named by the message's HTML, as a data: URL (https only, images only, ≤ 5 MB). */
  async remoteImage(id: number, url: string): Promise<string | null> {
    const parsed = await this.options.sources.parsedMessage(id);
    const html = parsed?.html ?? '';
    if (!html.includes(url) && !html.includes(url.replace(/&/g, '&amp;'))) {
      throw new RatsdeskError('INVALID_INPUT', 'image not in this message');
    }
    return fetchRemoteImage(url, this.options.trust);
  }
}
