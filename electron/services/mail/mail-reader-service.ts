import type { AccountSettings } from '../../contract/account';
import { RatsdeskError } from '../../contract/errors';
import type { MailListItem } from '../../contract/mail-sync';
import type { ReadMessage } from '../../contract/mail-reader';
import type { DocumentCache } from '../documents/document-cache';
import { recognizeRisLinks } from '../ris/link-recognizer';
import type { TlsTrust } from './imap-connection';
import { resolveInlineImages } from './inline-images';
import type { MailQueryRepository } from './mail-query-repository';
import type { RowProblemLog } from './mail-rows';
import type { MessageSources } from './message-sources';
import { extractAttachment } from './message-parser';
import { fetchRemoteImage, type Resolve } from './remote-image-fetch';

/** What the machine policy says about remote images (read on every load: a changed policy applies at once). */
export interface RemoteImagePolicy {
  /** Hosts that may resolve to internal addresses (`internalImageHosts`). */
  internalHosts: readonly string[];
}

export interface MailReaderServiceOptions {
  settings: AccountSettings;
  repository: MailQueryRepository;
  sources: MessageSources;
  documents: () => Promise<DocumentCache>;
  trust?: TlsTrust;
  remoteImagePolicy?: () => Promise<RemoteImagePolicy>;
  /** DNS for remote images (tests answer for their own host names); the system's by default. */
  resolve?: Resolve;
  log?: RowProblemLog;
}

const MAX_SOURCE_SHOWN = 256 * 1024;

/**
 * The `mailReader` domain: one stored message parsed for reading (offline from the vault), its thread,
 * its attachments into the document cache, and remote images after the person allowed them.
 */
export class MailReaderService {
  constructor(private readonly options: MailReaderServiceOptions) {}

  async read(id: number): Promise<ReadMessage> {
    this.options.repository.getMessage(id); // MAIL_MESSAGE_NOT_FOUND for an id that is not stored
    const parsed = await this.options.sources.parsedMessage(id);
    if (!parsed) {
      return {
        id,
        hasBody: false,
        text: '',
        html: null,
        attachments: [],
        inlineImages: [],
        councilLinks: [],
        parseError: null,
        malformed: false,
        source: null,
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
    // The parts and the source shown are those of what was parsed (for S/MIME mail, its opened content).
    const raw =
      parsed.html || parsed.parseError || parsed.malformed ? await this.options.sources.displayedSource(id) : null;
    const inline =
      raw && parsed.html
        ? await resolveInlineImages(raw, parsed.html, parsed.attachments)
        : { images: [], inlinePartIds: new Set<string>() };
    const showSource = Boolean(parsed.parseError || parsed.malformed);
    return {
      id,
      hasBody: true,
      text: parsed.text,
      html: parsed.html,
      attachments: parsed.attachments.filter((a) => !inline.inlinePartIds.has(a.partId)).map((a) => ({ ...a })),
      inlineImages: inline.images,
      councilLinks,
      parseError: parsed.parseError ? parsed.parseError.slice(0, 500) : null,
      malformed: parsed.malformed === true,
      source: showSource && raw ? raw.subarray(0, MAX_SOURCE_SHOWN).toString('latin1') : null,
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

  /**
   * One remote image named by the message's HTML, as a data: URL, after the person allowed remote content for
   * this message (there is no per-sender choice: the From line is whatever the sender wrote). Public
   * addresses only, unless the policy names the host (remote-image-fetch.ts).
   */
  async remoteImage(id: number, url: string): Promise<string | null> {
    const parsed = await this.options.sources.parsedMessage(id);
    const html = parsed?.html ?? '';
    if (!html.includes(url) && !html.includes(url.replace(/&/g, '&amp;'))) {
      throw new RatsdeskError('INVALID_INPUT', 'image not in this message');
    }
    const policy = (await this.options.remoteImagePolicy?.().catch(() => undefined)) ?? { internalHosts: [] };
    const result = await fetchRemoteImage(url, {
      trust: this.options.trust,
      internalHosts: policy.internalHosts,
      resolve: this.options.resolve,
    });
    if ('dataUrl' in result) return result.dataUrl;
    this.options.log?.warn('mail.remote-image-refused', result.refused);
    return null;
  }
}
