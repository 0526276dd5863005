import { z } from 'zod';
import { call } from './define';
import { shownNameSchema } from './file-name';
import { MailListItemSchema } from './mail-sync';
import { SmimeStatusSchema } from './smime-status';

/**
 * Reading one stored message: its parsed body (from the vault, so it works offline), its attachments,
 * the council links found in it, and the remote-content choices. The HTML arrives unsanitized: the
 * renderer sanitizes it (DOMPurify) and shows it only in a sandboxed frame.
 */

const MessageIdSchema = z.number().int().positive();

export const ReaderAttachmentSchema = z.object({
  partId: z.string().max(100),
  filename: shownNameSchema(1000),
  mimeType: z.string().max(200),
  size: z.number().int().nonnegative(),
  contentId: z.string().max(1000).nullable(),
});
export type ReaderAttachment = z.infer<typeof ReaderAttachmentSchema>;

export const CouncilLinkSchema = z.object({
  url: z.string().max(4096),
  product: z.enum(['allris', 'sessionnet', 'sdnet', 'oparl', 'web']),
  kind: z.enum(['paper', 'meeting', 'agendaItem', 'person', 'file', 'page']),
  id: z.string().max(4096),
});
export type CouncilLink = z.infer<typeof CouncilLinkSchema>;

export const ReadMessageSchema = z.object({
  id: MessageIdSchema,
  /** False when only the headers are stored (outside the synced period). */
  hasBody: z.boolean(),
  text: z.string(),
  html: z.string().nullable(),
  attachments: z.array(ReaderAttachmentSchema),
  councilLinks: z.array(CouncilLinkSchema),
  /** Set when the message could not be parsed: the reader shows headers, a notice and `source`. */
  parseError: z.string().max(500).nullable(),
  /** The raw source (cut to 256 KB) when parsing failed, else null. */
  source: z.string().nullable(),
  /** The person chose "always load remote content" for this sender. */
  remoteAllowed: z.boolean(),
  /** The S/MIME status line (signed, encrypted, …); null for a message that is not S/MIME. */
  smime: SmimeStatusSchema.nullable(),
});
export type ReadMessage = z.infer<typeof ReadMessageSchema>;

export const RemoteImageInputSchema = z.object({
  /** The message whose HTML names this image (the service checks that it does). */
  id: MessageIdSchema,
  url: z.url({ protocol: /^https$/ }).max(4096),
});

export const RemoteImageSchema = z.object({
  /** A data: URL of the image, or null when it could not be loaded (not an image, too big, unreachable). */
  dataUrl: z.string().nullable(),
});

export const mailReader = {
  read: call(z.object({ id: MessageIdSchema }), ReadMessageSchema),
  /** Messages of the same thread (References / In-Reply-To), oldest first, the message itself included. */
  thread: call(z.object({ id: MessageIdSchema }), z.array(MailListItemSchema).max(200)),
  /** Loads one remote image for a message whose remote content the person allowed (https only, ≤ 5 MB). */
  remoteImage: call(RemoteImageInputSchema, RemoteImageSchema),
  /**
   * Puts one attachment into the encrypted document cache (once; later calls find it there) and answers
   * its document id, so the in-app viewer (documents area) opens it. Works offline from the stored source.
   */
  openAttachment: call(
    z.object({ id: MessageIdSchema, partId: z.string().min(1).max(100) }),
    z.object({ documentId: z.uuid() }),
  ),
  /** "Always load remote content from this sender" (or take it back). */
  setSenderRemoteContent: call(z.object({ address: z.string().min(1).max(1000), allow: z.boolean() }), z.boolean()),
};
