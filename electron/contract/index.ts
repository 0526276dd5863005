import type { ApiOf, ContractDef, HandlersOf } from './define';
import { account } from './account';
import { app } from './app';
import { mail } from './mail';

/** The whole IPC contract: every call and event of every domain. */
export const contract = { app, account, mail } satisfies ContractDef;

export type Contract = typeof contract;
export type RatsdeskApi = ApiOf<Contract>;
export type RatsdeskHandlers = HandlersOf<Contract>;

export * from './define';
export * from './errors';
