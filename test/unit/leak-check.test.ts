import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import { leakCheck } from '../support/leak-check';

test('the leak check finds a forgotten timer and a forgotten socket, and passes once they are gone', async () => {
  const leaks = await leakCheck();
  const timer = setInterval(() => undefined, 1_000);
  const server = createServer().listen(0, '127.0.0.1');
  await expect(leaks.assertNoneLeft({ timeoutMs: 200 })).rejects.toThrow(/Timeout \+1/);
  await expect(leaks.assertNoneLeft({ timeoutMs: 200 })).rejects.toThrow(/TCPServerWrap \+1/);
  clearInterval(timer);
  await new Promise((resolve) => server.close(resolve));
  await leaks.assertNoneLeft();
});

test('the leak check finds a worker thread left running, even an unref’d one, and passes once it ended', async () => {
  const leaks = await leakCheck();
  const worker = new Worker('setInterval(() => undefined, 1_000);', { eval: true });
  worker.unref();
  await new Promise((resolve) => worker.once('online', resolve));
  await expect(leaks.assertNoneLeft({ timeoutMs: 200 })).rejects.toThrow(/Worker \+1/);
  await worker.terminate();
  await leaks.assertNoneLeft();
});
