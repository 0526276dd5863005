import { createServer } from 'node:net';
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
