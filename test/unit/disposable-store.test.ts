import { describe, expect, test, vi } from 'vitest';
import { DisposableStore, toDisposable } from '../../electron/services/lifetime/disposable-store';

describe('DisposableStore: owners dispose what they created, newest first', () => {
  test('reverse order, awaited one after the other; a second dispose waits for the same run', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => void order.push('vault')));
    store.add(
      toDisposable(async () => {
        await new Promise((r) => setTimeout(r, 5));
        order.push('mail session');
      }),
    );
    store.add(toDisposable(() => void order.push('timer')));
    await Promise.all([store.dispose(), store.dispose()]);
    expect(order).toEqual(['timer', 'mail session', 'vault']);
    expect(store.isDisposed).toBe(true);
  });

  test('a failing dispose is reported and the others still run', async () => {
    const onError = vi.fn();
    const store = new DisposableStore(onError);
    const last = vi.fn();
    store.add(toDisposable(last));
    store.add(
      toDisposable(() => {
        throw new Error('socket already gone');
      }),
    );
    await store.dispose();
    expect(last).toHaveBeenCalledOnce();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'socket already gone' }));
  });

  test('something added after the owner was disposed is disposed at once: nothing outlives its owner', async () => {
    const store = new DisposableStore();
    await store.dispose();
    const late = vi.fn();
    store.add(toDisposable(late));
    await vi.waitFor(() => expect(late).toHaveBeenCalledOnce());
  });
});
