import { z } from 'zod';
import { ErrorInfoSchema } from './errors';

/** One request/response call of the contract. */
export interface CallDef<I extends z.ZodType, O extends z.ZodType> {
  readonly kind: 'call';
  readonly input: I;
  readonly output: O;
}

/** One event the main process pushes to the renderer. */
export interface EventDef<P extends z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
}

export function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallDef<I, O> {
  return { kind: 'call', input, output };
}

export function event<P extends z.ZodType>(payload: P): EventDef<P> {
  return { kind: 'event', payload };
}

// biome-style structural types: a domain is a record of calls and events.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCall = CallDef<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEvent = EventDef<any>;
export type DomainDef = Record<string, AnyCall | AnyEvent>;
export type ContractDef = Record<string, DomainDef>;

/** What every call answers over IPC: a value, or a stable error code. Never a thrown stack. */
export function resultSchema<O extends z.ZodType>(output: O) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value: output }),
    z.object({ ok: z.literal(false), error: ErrorInfoSchema }),
  ]);
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof ErrorInfoSchema> };

export { channelOf, eventListenerName } from './channel-names';

type CallsOf<D extends DomainDef> = {
  [K in keyof D as D[K] extends AnyCall ? K : never]: D[K] extends CallDef<infer I, infer O>
    ? (input: z.input<I>) => Promise<Result<z.output<O>>>
    : never;
};
type EventsOf<D extends DomainDef> = {
  [K in keyof D as D[K] extends AnyEvent ? `on${Capitalize<K & string>}` : never]: D[K] extends EventDef<infer P>
    ? (listener: (payload: z.output<P>) => void) => () => void
    : never;
};

/** The shape of `window.ratsdesk`, derived from the contract. */
export type ApiOf<C extends ContractDef> = { [D in keyof C]: CallsOf<C[D]> & EventsOf<C[D]> };

/** The shape of the main-process side: one async handler per call. */
export type HandlersOf<C extends ContractDef> = {
  [D in keyof C]: {
    [K in keyof C[D] as C[D][K] extends AnyCall ? K : never]: C[D][K] extends CallDef<infer I, infer O>
      ? (input: z.output<I>) => Promise<z.input<O>>
      : never;
  };
};

/** Event payload map: `domain:event` → payload. */
export type EmitterOf<C extends ContractDef> = <D extends keyof C & string, E extends keyof C[D] & string>(
  domain: D,
  name: E,
  payload: C[D][E] extends EventDef<infer P> ? z.input<P> : never,
) => void;
