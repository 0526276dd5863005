import { RatsdeskError } from '../../contract/errors';

type Handler = (input: never) => Promise<unknown>;
type HandlerTree = Record<string, Record<string, Handler>>;

/**
 * Wraps every handler so that it fails with APP_LOCKED while the app is locked, except the calls named
 * in `open` ("domain.call" or "domain.*"): the lock screen must not be able to fetch content.
 */
export function gateWhileLocked<H extends HandlerTree>(
  handlers: H,
  isLocked: () => boolean,
  open: readonly string[],
): H {
  const allowed = new Set(open);
  const gated: HandlerTree = {};
  for (const [domain, calls] of Object.entries(handlers)) {
    const wrapped: Record<string, Handler> = {};
    for (const [name, handler] of Object.entries(calls)) {
      wrapped[name] =
        allowed.has(`${domain}.${name}`) || allowed.has(`${domain}.*`)
          ? handler
          : (input: never) => {
              if (isLocked()) return Promise.reject(new RatsdeskError('APP_LOCKED', `${domain}.${name}`));
              return handler(input);
            };
    }
    gated[domain] = wrapped;
  }
  return gated as H;
}
