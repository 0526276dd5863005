import { z } from 'zod';
import { call, event } from './define';
import { ErrorCodeSchema } from './errors';

/**
 * Compose, drafts and outbox. Not wired yet: main-process handlers and the preload side come with the
 * compose UI. Attachments cross the boundary only as references; the main process reads the bytes.
 */

export const ComposeAddressSchema = z.object({
  name: z.string().max(1000).default(''),
  address: z.email().max(320),
});
export type ComposeAddress = z.infer<typeof ComposeAddressSchema>;

const messageIdSchema = z
  .string()
  .min(3)
  .max(1000)
  .regex(/^<[^<>\s]+>$/, 'Message-ID in angle brackets');

/** Where an attachment's bytes come from; resolved in the main process, never sent as bytes over IPC. */
export const AttachmentRefSchema = z.discriminatedUnion('kind', [
  /** A document from the encrypted document cache (also a file picked with "Attach file…": see app.ts). */
  z.object({ kind: z.literal('document'), documentId: z.string().min(1).max(200) }),
  /** An attachment of a stored message (forwarding). */
  z.object({
    kind: z.literal('messagePart'),
    folder: z.string().min(1).max(1000),
    uid: z.number().int().positive(),
    partId: z
      .string()
      .min(1)
      .max(100)
      .regex(/^\d+(\.\d+)*$/),
    /** Its file name, for showing only (the bytes and the name that is sent come from the message itself). */
    filename: z.string().max(1000).optional(),
  }),
]);
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>;

export const DraftInputSchema = z.object({
  /** Absent for a new draft; the saved id afterwards. */
  id: z.uuid().optional(),
  to: z.array(ComposeAddressSchema).max(500).default([]),
  cc: z.array(ComposeAddressSchema).max(500).default([]),
  bcc: z.array(ComposeAddressSchema).max(500).default([]),
  subject: z.string().max(2000).default(''),
  text: z.string().max(5_000_000).default(''),
  html: z.string().max(10_000_000).nullable().default(null),
  inReplyTo: messageIdSchema.nullable().default(null),
  references: z.array(messageIdSchema).max(500).default([]),
  attachments: z.array(AttachmentRefSchema).max(100).default([]),
  /** Started as a forward of a received message (set by startReply; the policy may limit forwarding). */
  forwarded: z.boolean().default(false),
  /**
   * S/MIME: sign with the sender's certificate, encrypt to every recipient and to the sender. Kept with a
   * draft, so it opens again as it was written; a draft to be encrypted stays in the vault only.
   */
  smime: z.object({ sign: z.boolean(), encrypt: z.boolean() }).optional(),
});
export type DraftInput = z.infer<typeof DraftInputSchema>;

/** A draft with nothing in it (the schema's defaults), for a new message and as the base of a reply. */
export function emptyDraft(): DraftInput {
  return DraftInputSchema.parse({});
}

export const SendInputSchema = DraftInputSchema.extend({
  /** The person confirmed the recipients outside the city's domains that `checkRecipients` named. */
  confirmOutsideRecipients: z.boolean().default(false),
});
export type SendInput = z.infer<typeof SendInputSchema>;

/** What the machine policy says about a draft's recipients before it is sent. */
export const RecipientCheckSchema = z.object({
  /** allow: send; confirm: ask the person first (naming `outside`); block: the policy forbids it. */
  verdict: z.enum(['allow', 'confirm', 'block']),
  /** The recipients (to, cc, bcc) whose domain is outside the allowed ones. */
  outside: z.array(z.string().max(320)).max(1500),
  /** Why it is blocked: outside recipients at all, or a forward to outside recipients. */
  reason: z.enum(['outside', 'forward']).nullable(),
});
export type RecipientCheck = z.infer<typeof RecipientCheckSchema>;

export const DraftSummarySchema = z.object({
  id: z.uuid(),
  subject: z.string(),
  to: z.array(z.string()),
  updatedAt: z.string(),
  /** The copy in the server's Drafts folder is current. */
  syncedToServer: z.boolean(),
});
export type DraftSummary = z.infer<typeof DraftSummarySchema>;

export const ReplyModeSchema = z.enum(['reply', 'replyAll', 'forward']);
export type ReplyMode = z.infer<typeof ReplyModeSchema>;

export const StartReplyInputSchema = z.object({
  folder: z.string().min(1).max(1000),
  uid: z.number().int().positive(),
  mode: ReplyModeSchema,
});

export const OutboxStateSchema = z.enum(['queued', 'sending', 'submitted', 'sent', 'failed']);
export type OutboxState = z.infer<typeof OutboxStateSchema>;

export const OutboxItemSchema = z.object({
  id: z.uuid(),
  messageId: z.string(),
  subject: z.string(),
  to: z.array(z.string()),
  state: OutboxStateSchema,
  attempts: z.number().int().nonnegative(),
  lastError: ErrorCodeSchema.nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /**
   * Set on a Bcc recipient's own copy of an encrypted message (its CMS names only that recipient and the
   * sender): the address it goes to. It waits for the main message and is not filed in Sent.
   */
  bccCopyFor: z.string().max(320).optional(),
});
export type OutboxItemInfo = z.infer<typeof OutboxItemSchema>;

export const compose = {
  /** Save (autosave) a draft to the vault; the Drafts folder copy follows in the background. */
  saveDraft: call(DraftInputSchema, DraftSummarySchema),
  listDrafts: call(z.void(), z.array(DraftSummarySchema)),
  openDraft: call(z.object({ id: z.uuid() }), DraftInputSchema),
  deleteDraft: call(z.object({ id: z.uuid() }), z.boolean()),
  /** A prefilled draft answering or forwarding a stored message. */
  startReply: call(StartReplyInputSchema, DraftInputSchema),
  /** Put the message into the outbox (works offline) and remove its draft. */
  send: call(SendInputSchema, OutboxItemSchema),
  /** The policy's verdict on a draft's recipients; `send` applies the same check and refuses without it. */
  checkRecipients: call(DraftInputSchema, RecipientCheckSchema),
  listOutbox: call(z.void(), z.array(OutboxItemSchema)),
  /** Remove a queued or failed item that has not been sent (a main message with its waiting Bcc copies). */
  cancelOutboxItem: call(z.object({ id: z.uuid() }), z.boolean()),
  /** Sends a failed item again (after the person fixed what the server refused); false when it is not failed. */
  retryOutboxItem: call(z.object({ id: z.uuid() }), z.boolean()),
  outboxChanged: event(z.object({ items: z.array(OutboxItemSchema) })),
};
