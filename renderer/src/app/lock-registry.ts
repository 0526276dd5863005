/**
 * What happens when the app locks: every store holding decrypted content (mail, documents, council
 * papers …) registers a handler that drops it, so nothing readable stays in the renderer's memory.
 */
type LockHandler = () => void;

const handlers = new Set<LockHandler>();

/** Registers a handler run on every lock; returns a function that removes it. */
export function onLock(handler: LockHandler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** Runs every registered handler; one failing handler does not keep the others from running. */
export function runLockHandlers(): void {
  for (const handler of handlers) {
    try {
      handler();
    } catch (err) {
      console.error('lock handler failed', err);
    }
  }
}
