import type { AttachmentRef, DraftInput } from '../../contract/compose';
import { RatsdeskError } from '../../contract/errors';
import type { DocumentCache, DocumentSource } from '../documents/document-cache';

/**
 * Where an attachment's bytes came from, decided in the service from what it stores — never from what the
 * renderer says (issue #10 item 12): a part of a received message (`mail`), a council document from the RIS
 * (`council`), or a file the person picked or dropped from their disk (`disk`). The document cache keeps
 * each document's source: a mail attachment opened in the viewer stays `mail` when it is attached again as a
 * "document", and a council file stays `council`.
 */
export type AttachmentOrigin = 'mail' | 'council' | 'disk';

export function originOfSource(source: Pick<DocumentSource, 'kind'>): AttachmentOrigin {
  switch (source.kind) {
    case 'message':
      return 'mail';
    case 'url':
      return 'council';
    case 'upload':
      return 'disk';
  }
}

/** The origin of each attachment reference (document metadata only; no bytes are read). */
export function attachmentOrigins(
  refs: readonly AttachmentRef[],
  cache: DocumentCache | undefined,
): AttachmentOrigin[] {
  return refs.map((ref) => {
    if (ref.kind === 'messagePart') return 'mail';
    const meta = cache?.get(ref.documentId);
    if (!meta) throw new RatsdeskError('DOCUMENT_NOT_FOUND', ref.documentId.slice(0, 100));
    return originOfSource(meta.source);
  });
}

export interface DraftOrigins {
  /** Carries a part of a received message, or was started as a forward: the forwarding rule applies. */
  forward: boolean;
}

/**
 * What the policy needs to know about a draft's parts. A council document leaves the encrypted cache when it
 * is mailed, so it is refused (EXPORT_FORBIDDEN) while `documentExportAllowed` is off. A forward is a draft
 * with a part from received mail; the renderer's `forwarded` flag can only add to that, never take it away.
 * (The text is the person's own: what they type or paste is not a part the service can trace.)
 */
export function draftOrigins(
  draft: Pick<DraftInput, 'forwarded'>,
  origins: readonly AttachmentOrigin[],
  exportAllowed: boolean,
): DraftOrigins {
  if (!exportAllowed && origins.includes('council')) {
    throw new RatsdeskError('EXPORT_FORBIDDEN', 'a council document may not leave the encrypted cache');
  }
  return { forward: draft.forwarded || origins.includes('mail') };
}
