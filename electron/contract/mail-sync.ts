import { z } from 'zod';
import { call, event } from './define';
import { ErrorInfoSchema } from './errors';
import { MAIL_TEXT_LIMITS as LIMITS, shownLineSchema } from './shown-text';

/**
 * The offline-first mail calls: everything answers from the vault, so they work without a network.
 * Message ids are local (the vault's row id), stable until the folder's UIDVALIDITY changes.
 */

export const MailAddressSchema = z.object({
  name: shownLineSchema(LIMITS.name),
  address: shownLineSchema(LIMITS.address),
});
export type MailAddress = z.infer<typeof MailAddressSchema>;

/** Special-use role of a folder; the renderer shows it with its German (or English) name. */
export const FolderRoleSchema = z.enum(['inbox', 'sent', 'drafts', 'trash', 'junk', 'archive']);
export type FolderRole = z.infer<typeof FolderRoleSchema>;

export const SyncedFolderSchema = z.object({
  path: z.string().max(LIMITS.folder),
  name: shownLineSchema(LIMITS.folder),
  delimiter: z.string().max(4).nullable(),
  role: FolderRoleSchema.nullable(),
  total: z.number().int().nonnegative(),
  unread: z.number().int().nonnegative(),
});
export type SyncedFolder = z.infer<typeof SyncedFolderSchema>;

const MessageIdSchema = z.number().int().positive();

/** The most messages of one conversation one row acts on (as many as one action takes). */
export const MAX_CONVERSATION = 5000;

/**
 * One message in a list. Its text fields are bounded where they are stored and read (contract/shown-text.ts);
 * an item that still cannot be shown travels `degraded` (ids and flags only) instead of failing its page.
 */
export const MailListItemSchema = z.object({
  id: MessageIdSchema,
  folder: z.string().max(LIMITS.folder),
  uid: z.number().int(),
  subject: shownLineSchema(LIMITS.subject),
  from: MailAddressSchema,
  /**
   * The display name holds an address that is not the sender's own (`"ratsbuero@stadt.example"
   * <attacker@evil.example>`): the list and the reading pane show the real address with a warning.
   */
  fromNameMisleads: z.boolean().default(false),
  /** ISO 8601; null when the message carries no usable date. */
  date: z.string().nullable(),
  size: z.number().int().nonnegative(),
  seen: z.boolean(),
  flagged: z.boolean(),
  answered: z.boolean(),
  /** The keyword $Forwarded: the person (or another mail program) forwarded it. */
  forwarded: z.boolean(),
  hasAttachments: z.boolean(),
  /** The first characters of the body text (empty when the body is outside the synced period). */
  preview: shownLineSchema(LIMITS.preview),
  /** Set when the stored entry could not be shown as it is: the row says so instead of a subject. */
  degraded: z.literal(true).optional(),
  /**
   * In the conversation view: the row stands for a conversation of the folder and shows its newest message;
   * `seen` is false when any of its messages is unread, `flagged` and `hasAttachments` when any is so.
   */
  conversation: z
    .object({
      count: z.number().int().positive(),
      unread: z.number().int().nonnegative(),
      /** Every message of the conversation in this folder, oldest first: what an action on the row acts on. */
      ids: z.array(MessageIdSchema).min(1).max(MAX_CONVERSATION),
    })
    .optional(),
});
export type MailListItem = z.infer<typeof MailListItemSchema>;

/** The message list's order: newest first, or by sender or subject (each then newest first). */
export const ListSortSchema = z.enum(['date', 'sender', 'subject']);
export type ListSort = z.infer<typeof ListSortSchema>;

export const ListPageInputSchema = z.object({
  folder: z.string().min(1).max(1000),
  sort: ListSortSchema.optional(),
  /** One row per conversation (the conversation view) instead of one per message. */
  conversations: z.boolean().optional(),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ListPageInput = z.infer<typeof ListPageInputSchema>;

export const ListPageSchema = z.object({
  folder: z.string().max(LIMITS.folder),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  items: z.array(MailListItemSchema),
});
export type ListPage = z.infer<typeof ListPageSchema>;

export const GetMessageInputSchema = z.object({ id: MessageIdSchema });

export const StoredMessageSchema = MailListItemSchema.extend({
  to: z.array(MailAddressSchema),
  cc: z.array(MailAddressSchema),
  messageId: z.string().max(LIMITS.messageId).nullable(),
  inReplyTo: z.string().max(LIMITS.messageId).nullable(),
  references: z.array(z.string().max(LIMITS.messageId)),
  /** False when only the headers are stored (message older than the synced period). */
  hasBody: z.boolean(),
});
export type StoredMessage = z.infer<typeof StoredMessageSchema>;

export const SearchInputSchema = z.object({
  /** Free text; every word is a prefix ("Beschluss" finds "Beschlussvorschlag"), diacritics folded. */
  query: z.string().max(500).default(''),
  folder: z.string().min(1).max(1000).optional(),
  unread: z.boolean().optional(),
  /** ISO 8601 bounds on the message date, inclusive. */
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  hasAttachment: z.boolean().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type SearchInput = z.input<typeof SearchInputSchema>;

export const SearchResultSchema = z.object({ items: z.array(MailListItemSchema) });
export type SearchResult = z.infer<typeof SearchResultSchema>;

const IdsSchema = z.array(MessageIdSchema).min(1).max(MAX_CONVERSATION);

export const SetFlagsInputSchema = z
  .object({ ids: IdsSchema, seen: z.boolean().optional(), flagged: z.boolean().optional() })
  .refine((v) => v.seen !== undefined || v.flagged !== undefined, 'seen or flagged');
export type SetFlagsInput = z.infer<typeof SetFlagsInputSchema>;

export const MoveInputSchema = z.object({ ids: IdsSchema, to: z.string().min(1).max(1000) });
export type MoveInput = z.infer<typeof MoveInputSchema>;

/** Delete: into Trash, or for good when the messages already are in Trash. */
export const DeleteInputSchema = z.object({ ids: IdsSchema });
export type DeleteInput = z.infer<typeof DeleteInputSchema>;

export const ActionResultSchema = z.object({
  /** How many actions wait in the vault for the server (0 when online and replayed). */
  pending: z.number().int().nonnegative(),
  /** A move or delete that can be taken back for a few seconds: pass this to `undo` (absent: not undoable). */
  undo: z.number().int().positive().optional(),
});

export const UndoInputSchema = z.object({ token: z.number().int().positive() });
export const UndoResultSchema = z.object({
  /** False once the undo window has passed: the action has gone, or is going, to the server. */
  undone: z.boolean(),
  pending: z.number().int().nonnegative(),
});

export const SyncProgressSchema = z.object({
  folder: z.string().max(1000),
  phase: z.enum(['folders', 'changes', 'new', 'done']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

/**
 * How far one folder is on the way to the laptop (the first login downloads headers first, then bodies in the
 * background): "Posteingang: 1.240 von 50.000 Nachrichten offline verfügbar".
 */
export const OfflineProgressSchema = z.object({
  folder: z.string().max(1000),
  /** Messages whose headers are stored: listed and searchable by subject, sender and recipients. */
  listed: z.number().int().nonnegative(),
  /** Messages in the folder: the server's count until every header is stored, then the stored ones. */
  total: z.number().int().nonnegative(),
  /** Messages whose body is stored: readable offline. */
  offline: z.number().int().nonnegative(),
  /** Messages whose body will be stored (those within the policy's offline period; not yet listed ones count). */
  wanted: z.number().int().nonnegative(),
  /** Every header of the folder is stored. */
  headersDone: z.boolean(),
});
export type OfflineProgress = z.infer<typeof OfflineProgressSchema>;

export const NewMailSchema = z.object({
  folder: z.string().max(1000),
  count: z.number().int().positive(),
  /** The newest few, for a desktop notification. */
  items: z.array(MailListItemSchema).max(20),
});
export type NewMail = z.infer<typeof NewMailSchema>;

export const SyncConnectionStateSchema = z.object({
  /**
   * 'paused': connected, but the sync stopped because the vault cannot store more (VAULT_DISK_FULL in
   * `error`); it continues on "sync now" or at the next regular sync. 'online' with an `error`: the last
   * sync failed while the connection stayed up (it is retried).
   */
  state: z.enum(['offline', 'connecting', 'online', 'paused', 'auth-failed']),
  /** When offline: milliseconds until the next attempt. */
  retryInMs: z.number().int().nonnegative().optional(),
  error: ErrorInfoSchema.optional(),
});
export type SyncConnectionState = z.infer<typeof SyncConnectionStateSchema>;

export const mailSync = {
  folders: call(z.void(), z.array(SyncedFolderSchema)),
  listPage: call(ListPageInputSchema, ListPageSchema),
  getMessage: call(GetMessageInputSchema, StoredMessageSchema),
  /** The list entries of the given messages (a conversation's, for the reading pane), in the given order. */
  listItems: call(z.object({ ids: IdsSchema }), z.array(MailListItemSchema).max(MAX_CONVERSATION)),
  search: call(SearchInputSchema, SearchResultSchema),
  setFlags: call(SetFlagsInputSchema, ActionResultSchema),
  move: call(MoveInputSchema, ActionResultSchema),
  delete: call(DeleteInputSchema, ActionResultSchema),
  /** Takes back a move or delete before it is sent: the server never hears of it. */
  undo: call(UndoInputSchema, UndoResultSchema),
  /** Sync now (also opens IDLE on that folder when given). */
  syncNow: call(z.object({ folder: z.string().min(1).max(1000).optional() }), z.void()),
  /** Every folder's way to the laptop (headers listed, bodies offline), for the progress line. */
  offlineStatus: call(z.void(), z.array(OfflineProgressSchema).max(10_000)),
  /** The connection as it is now (a view that opens later missed the events before it). */
  connectionState: call(z.void(), SyncConnectionStateSchema),
  syncProgress: event(SyncProgressSchema),
  newMail: event(NewMailSchema),
  /** A folder's figures changed (after each download step of the first login, or a body fetched on opening). */
  offlineProgress: event(OfflineProgressSchema),
  syncConnectionState: event(SyncConnectionStateSchema),
};
