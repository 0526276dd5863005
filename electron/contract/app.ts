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

export const AppLanguageSchema = z.enum(['de', 'en']);
export type AppLanguage = z.infer<typeof AppLanguageSchema>;

/** A command from the application menu that the renderer carries out. */
export const MenuCommandSchema = z.enum(['newMessage', 'print', 'shortcuts', 'diagnostics']);
export type MenuCommand = z.infer<typeof MenuCommandSchema>;

/** A mailto: URL (RFC 6068) to open in the compose window; addresses stay text for the form to check. */
export const ComposeIntentSchema = z.object({
  kind: z.literal('compose'),
  to: z.array(z.string().max(1000)).max(500),
  cc: z.array(z.string().max(1000)).max(500),
  bcc: z.array(z.string().max(1000)).max(500),
  subject: z.string().max(2000),
  body: z.string().max(100_000),
  inReplyTo: z.string().max(1000).nullable(),
  /** Header fields of the URL that were not applied (e.g. attach, from). */
  ignored: z.array(z.string().max(100)).max(50),
});

/** A click on a new-mail notification: show that message. */
export const ShowMessageIntentSchema = z.object({ kind: z.literal('showMessage'), id: z.number().int().positive() });

/** A click on a meeting reminder: show that meeting (its agenda). */
export const ShowMeetingIntentSchema = z.object({ kind: z.literal('showMeeting'), id: z.string().min(1).max(4000) });

/** Something from outside the window the app should do once it is unlocked. */
export const AppIntentSchema = z.discriminatedUnion('kind', [
  ComposeIntentSchema,
  ShowMessageIntentSchema,
  ShowMeetingIntentSchema,
]);
export type AppIntent = z.infer<typeof AppIntentSchema>;

export const DefaultMailClientSchema = z.object({
  /** Ratsdesk opens mailto: links now. */
  isDefault: z.boolean(),
  /** Windows let the person choose in its own settings, which were opened. */
  openedSystemSettings: z.boolean(),
});

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
   * "Exportieren (.ics)": one meeting, or all meetings of the person's bodies, as an iCalendar file; the host asks
   * for the target in its save dialog. Public meeting dates, so not subject to documentExportAllowed (README).
   */
  saveMeetingCalendar: call(
    z.object({ meetingId: z.string().min(1).max(4000).optional(), language: AppLanguageSchema.optional() }),
    z.object({ saved: z.boolean(), exported: z.number().int().nonnegative() }),
  ),
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
  /**
   * Files dropped on the compose window: the renderer read their bytes from the drop; they go into the
   * document cache like "Attach file…" (50 MB each at most).
   */
  attachDroppedFiles: call(
    z.object({
      files: z
        .array(
          z.object({
            name: z.string().min(1).max(1000),
            bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.byteLength <= 50 * 1024 * 1024, 'bytes'),
          }),
        )
        .min(1)
        .max(20),
    }),
    z.array(PickedFileSchema).max(20),
  ),
  /** The renderer's language (German or English): the application menu and dialogs follow it. */
  setLanguage: call(z.object({ language: AppLanguageSchema }), z.void()),
  /** The inbox's unread count, for the badge on the app icon (the policy's unreadBadge may turn it off). */
  setUnreadCount: call(z.object({ count: z.number().int().nonnegative().max(10_000_000) }), z.void()),
  /**
   * Requests from outside the window (mailto: URLs, notification clicks) waiting for the renderer.
   * APP_LOCKED while locked: they wait until the unlock.
   */
  takeIntents: call(z.void(), z.array(AppIntentSchema).max(10)),
  /** Whether Ratsdesk is the system's program for mailto: links. */
  defaultMailClient: call(z.void(), DefaultMailClientSchema),
  /** "Als Standard-Mailprogramm verwenden". */
  setDefaultMailClient: call(z.void(), DefaultMailClientSchema),
  /**
   * Prints the print layout (the open mail, or a document's chosen pages) through the system dialog.
   * PRINT_FORBIDDEN when the policy's printAllowed is off.
   */
  print: call(z.object({ what: z.enum(['mail', 'document']) }), z.object({ printed: z.boolean() })),
  /** Requests wait (only how many: the app may be locked); the renderer takes them with takeIntents. */
  intentsPending: event(z.object({ count: z.number().int().positive().max(10) })),
  /** A command chosen in the application menu (or its shortcut). */
  menuCommand: event(z.object({ command: MenuCommandSchema })),
};
