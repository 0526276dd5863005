import type { ApiOf, ContractDef, HandlersOf } from './define';
import { account } from './account';
import { app } from './app';
import { calendar } from './calendar';
import { compose } from './compose';
import { diagnostics } from './diagnostics';
import { documents } from './documents';
import { lock } from './lock';
import { mailReader } from './mail-reader';
import { mailSync } from './mail-sync';
import { notes } from './notes';
import { policy } from './policy';
import { ris } from './ris';
import { search } from './search';
import { smime } from './smime';

/** The whole IPC contract: every call and event of every domain. */
export const contract = {
  app,
  account,
  mailSync,
  mailReader,
  compose,
  documents,
  ris,
  policy,
  diagnostics,
  lock,
  smime,
  search,
  calendar,
  notes,
} satisfies ContractDef;

export type Contract = typeof contract;
export type RatsdeskApi = ApiOf<Contract>;
export type RatsdeskHandlers = HandlersOf<Contract>;

export * from './define';
export * from './errors';
