import { z } from 'zod';
import { call, event } from './define';

export const AddressSchema = z.object({
  name: z.string().max(1000),
  address: z.string().max(1000),
});

export const MessageSummarySchema = z.object({
  uid: z.number().int().nonnegative(),
  from: AddressSchema,
  subject: z.string().max(10_000),
  /** ISO 8601; null when the message carries no usable date. */
  date: z.string().nullable(),
  seen: z.boolean(),
  flagged: z.boolean(),
});
export type MessageSummary = z.infer<typeof MessageSummarySchema>;

export const FolderSchema = z.object({
  path: z.string(),
  name: z.string(),
  specialUse: z.string().nullable(),
});
export type Folder = z.infer<typeof FolderSchema>;

export const InboxSchema = z.object({
  folders: z.array(FolderSchema),
  folder: z.string(),
  messages: z.array(MessageSummarySchema),
});
export type Inbox = z.infer<typeof InboxSchema>;

export const LatestInputSchema = z.object({
  folder: z.string().min(1).max(1000).default('INBOX'),
  limit: z.number().int().min(1).max(500).default(50),
});

export const ConnectionStateSchema = z.object({
  state: z.enum(['offline', 'connecting', 'online']),
});

export const mail = {
  listFolders: call(z.void(), z.array(FolderSchema)),
  latest: call(LatestInputSchema, z.array(MessageSummarySchema)),
  connectionState: event(ConnectionStateSchema),
};
