import { z } from 'zod';
import { call } from './define';
import { shownNameSchema } from './file-name';
import { MailListItemSchema } from './mail-sync';
import { SmimeStatusSchema } from './smime-status';

/**
 * Reading one stored message: its parsed body (from the vault, so it works offline), its attachments, its
 * inline images, and the council links found in it. The HTML arrives unsanitized: the renderer sanitizes it
 * (DOMPurify) and shows it only in a sandboxed frame. The headers the reading pane shows are the stored
 * ones (mailSync.getMessage): decided once, at sync.
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

/** The largest inline image shown, and all of one message's together (bytes before base64). */
export const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_INLINE_IMAGES_BYTES = 15 * 1024 * 1024;

/** An image the message carries itself (a related part named by `cid:` in its HTML), as a data: URL. */
export const InlineImageSchema = z.object({
  /** The part's Content-ID without angle brackets: what `cid:` in the HTML names. */
  contentId: z.string().max(1000),
  dataUrl: z
    .string()
    .max(Math.ceil((MAX_INLINE_IMAGE_BYTES * 4) / 3) + 100)
    .regex(/^data:image\/(?:png|jpeg|gif|webp);base64,/),
});
export type InlineImage = z.infer<typeof InlineImageSchema>;

export const ReadMessageSchema = z.object({
  id: MessageIdSchema,
  /** False when only the headers are stored (outside the synced period). */
  hasBody: z.boolean(),
  text: z.string(),
  html: z.string().nullable(),
  /** Attachments to list; inline images shown in the HTML are not listed again. */
  attachments: z.array(ReaderAttachmentSchema),
  inlineImages: z.array(InlineImageSchema).max(100),
  councilLinks: z.array(CouncilLinkSchema),
  /** Set when the message could not be parsed: the reader shows headers, a notice and `source`. */
  parseError: z.string().max(500).nullable(),
  /**
   * The MIME structure gave no body although the message has one (no usable boundary, say): `text` is its
   * raw body, shown with the notice "fehlerhaft aufgebaut" and `source` one click away.
   */
  malformed: z.boolean(),
  /** The raw source (cut to 256 KB) when parsing failed or the message is malformed, else null. */
  source: z.string().nullable(),
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
  /**
   * Loads one remote image of a message after the person allowed it for that message (https only, ≤ 5 MB,
   * public addresses only unless the machine policy names the host: see remote-image-fetch.ts).
   */
  remoteImage: call(RemoteImageInputSchema, RemoteImageSchema),
  /**
   * Puts one attachment into the encrypted document cache (once; later calls find it there) and answers
   * its document id, so the in-app viewer (documents area) opens it. Works offline from the stored source.
   */
  openAttachment: call(
    z.object({ id: MessageIdSchema, partId: z.string().min(1).max(100) }),
    z.object({ documentId: z.uuid() }),
  ),
};
