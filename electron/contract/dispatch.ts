import type { AnyCall, ContractDef, Result } from './define';
import { channelOf } from './define';
import { isRatsdeskError } from './errors';
import { callsOpenWhileLocked } from './lock';

/** Channels the dispatcher serves while the app is locked (see callsOpenWhileLocked). */
export const channelsOpenWhileLocked: ReadonlySet<string> = new Set(
  callsOpenWhileLocked.map(([domain, name]) => channelOf(domain, name)),
);

export interface CallRoute {
  readonly channel: string;
  readonly domain: string;
  readonly name: string;
  readonly def: AnyCall;
}

/** Every call channel of a contract, in a stable order. */
export function callRoutes(contract: ContractDef): CallRoute[] {
  const routes: CallRoute[] = [];
  for (const [domain, defs] of Object.entries(contract)) {
    for (const [name, def] of Object.entries(defs)) {
      if (def.kind === 'call') routes.push({ channel: channelOf(domain, name), domain, name, def });
    }
  }
  return routes;
}

export interface EventRoute {
  readonly channel: string;
  readonly domain: string;
  readonly name: string;
}

export function eventRoutes(contract: ContractDef): EventRoute[] {
  const routes: EventRoute[] = [];
  for (const [domain, defs] of Object.entries(contract)) {
    for (const [name, def] of Object.entries(defs)) {
      if (def.kind === 'event') routes.push({ channel: channelOf(domain, name), domain, name });
    }
  }
  return routes;
}

type LooseHandlers = Record<string, Record<string, (input: unknown) => Promise<unknown>>>;

export interface DispatcherOptions {
  /** Decides whether a message from this sender may be served at all. */
  isTrustedSender: (sender: { url: string; isMainFrame: boolean }) => boolean;
  /**
   * Whether the app is locked now. Required, so no host can build a dispatcher without the lock: while
   * locked, every channel but channelsOpenWhileLocked answers APP_LOCKED — the services' calls and the
   * host's own `app.*` calls alike, and any channel added later.
   */
  isLocked: () => boolean | Promise<boolean>;
  /** Called with unexpected (non-Ratsdesk) errors, for the log. Never sent to the renderer. */
  onUnexpectedError?: (channel: string, err: unknown) => void;
}

/**
 * The one place where an IPC message is checked: sender, channel, the app lock, input schema, output
 * schema. Electron's main process and the end-to-end harness both serve the renderer through this.
 */
export function createDispatcher(contract: ContractDef, handlers: object, options: DispatcherOptions) {
  const table = new Map(callRoutes(contract).map((r) => [r.channel, r]));
  const loose = handlers as LooseHandlers;
  /** A lock state that cannot be read counts as locked. */
  const lockedNow = () =>
    Promise.resolve()
      .then(options.isLocked)
      .catch(() => true);

  return async function dispatch(
    sender: { url: string; isMainFrame: boolean },
    channel: string,
    rawInput: unknown,
  ): Promise<Result<unknown>> {
    if (!options.isTrustedSender(sender)) {
      return { ok: false, error: { code: 'IPC_SENDER_REJECTED' } };
    }
    const route = table.get(channel);
    if (!route) return { ok: false, error: { code: 'INVALID_INPUT', detail: 'unknown call' } };
    // The lock comes before the input is even looked at: a locked app answers nothing else.
    const gated = !channelsOpenWhileLocked.has(channel);
    if (gated && (await lockedNow())) return { ok: false, error: { code: 'APP_LOCKED' } };
    const answer = await serve(route, channel, rawInput);
    // A call that was still running when the app locked: its answer (a list of documents, a message) must
    // not reach the lock screen's renderer either.
    if (gated && (await lockedNow())) return { ok: false, error: { code: 'APP_LOCKED' } };
    return answer;
  };

  async function serve(
    route: NonNullable<ReturnType<typeof table.get>>,
    channel: string,
    rawInput: unknown,
  ): Promise<Result<unknown>> {
    const parsed = route.def.input.safeParse(rawInput);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'input';
      return { ok: false, error: { code: 'INVALID_INPUT', detail: `${where}: ${issue?.message ?? 'invalid'}` } };
    }
    const handler = loose[route.domain]?.[route.name];
    if (!handler) return { ok: false, error: { code: 'INTERNAL', detail: 'no handler' } };
    try {
      const value = await handler(parsed.data);
      const out = route.def.output.safeParse(value);
      if (!out.success) {
        options.onUnexpectedError?.(channel, out.error);
        return { ok: false, error: { code: 'INTERNAL', detail: 'invalid response' } };
      }
      return { ok: true, value: out.data };
    } catch (err) {
      if (isRatsdeskError(err)) {
        return { ok: false, error: err.detail ? { code: err.code, detail: err.detail } : { code: err.code } };
      }
      options.onUnexpectedError?.(channel, err);
      return { ok: false, error: { code: 'INTERNAL' } };
    }
  }
}
