import { z } from 'zod';
import { call, event } from './define';
import { DocumentRefInputSchema, SaveAsResultSchema } from './documents';

export const OpenExternalInputSchema = z.object({
  url: z.string().max(4096),
});

/**
 * A file the person picked in the host's open dialog for a mail attachment, already copied into the
 * encrypted document cache: the draft refers to the document (the renderer never sees or names a path).
 */
export const PickedFileSchema = z.object({
  documentId: z.uuid(),
  name: z.string().max(1000),
  size: z.number().int().nonnegative(),
});
export type PickedFile = z.infer<typeof PickedFileSchema>;

/** A command from the application menu that the renderer carries out. */
export const MenuCommandSchema = z.enum(['newMessage', 'print', 'shortcuts', 'diagnostics']);
export type MenuCommand = z.infer<typeof MenuCommandSchema>;

export const AppLanguageSchema = z.enum(['de', 'en']);
export type AppLanguage = z.infer<typeof AppLanguageSchema>;

export const app = {
  /**
   * "Attach file…": the host shows its open dialog and copies the picked files into the document cache (a
   * renderer can never name a path itself). Empty when the person cancelled.
   */
  pickAttachmentFiles: call(z.void(), z.array(PickedFileSchema).max(100)),
  /** Open an https link in the system browser after the person confirmed its real target. */
  openExternal: call(OpenExternalInputSchema, z.boolean()),
  /**
   * "Save as…" for a cached document: the host asks the person for the target (the renderer never names
   * a path) and writes the bytes there. EXPORT_FORBIDDEN when export is not allowed.
   */
  saveDocumentAs: call(DocumentRefInputSchema, SaveAsResultSchema),
  /**
   * A council-information (RIS) page without an OParl object, in the sandboxed RIS window (own
   * non-persistent session, no preload, navigation limited to the RIS origins). False when refused.
   */
  openRisPage: call(
    z.object({
      url: z
        .string()
        .max(4000)
        .regex(/^https:\/\/\S+$/, 'https URL'),
    }),
    z.boolean(),
  ),
  /** The renderer's language (German or English): the application menu and dialogs follow it. */
  setLanguage: call(z.object({ language: AppLanguageSchema }), z.void()),
  /** The inbox's unread count, for the badge on the app icon (the policy's unreadBadge may turn it off). */
  setUnreadCount: call(z.object({ count: z.number().int().nonnegative().max(10_000_000) }), z.void()),
  /** A command chosen in the application menu (or its shortcut). */
  menuCommand: event(z.object({ command: MenuCommandSchema })),
};
