import { calendarMigrations } from '../calendar/calendar-migrations';
import { documentMigrations } from '../documents/document-migrations';
import { lockMigrations } from '../lock/lock-verifier';
import { notesMigrations } from '../notes/notes-migrations';
import { draftsMigrations, mailMigrations, mailReaderMigrations, outboxMigrations } from '../mail/mail-migrations';
import { risMigrations } from '../ris/ris-migrations';
import { smimeMigrations } from '../mail/smime/smime-migrations';
import type { Migration } from './migration';

/**
 * Every domain's vault schema, in the order it is applied when the vault opens: the one place where
 * migrations are registered (no domain applies its own). A new step is appended to its domain's list.
 */
export const vaultMigrations: readonly Migration[] = [
  ...documentMigrations,
  ...risMigrations,
  ...mailMigrations,
  ...outboxMigrations,
  ...draftsMigrations,
  ...mailReaderMigrations,
  ...lockMigrations,
  ...smimeMigrations,
  ...calendarMigrations,
  ...notesMigrations,
];
