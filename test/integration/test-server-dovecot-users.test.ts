import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkImapLogin } from '../../electron/services/mail/imap-connection';
import { type DovecotServer, startDovecot, stopAndRemove } from '../servers/dovecot';

// The e2e tests add one user per test to a running Dovecot and sign in at once. Dovecot's auth process
// looks at its passwd-file at most once per second, so a user written in the second of an earlier lookup
// used to be refused now and then (AUTH_FAILED in CI). addUser resolves only once a login will see the user.
describe('the Dovecot test server: a user added while it runs can sign in at once', () => {
  let dovecot: DovecotServer;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(() => stopAndRemove(dovecot));

  const login = (user: string, pass: string) =>
    checkImapLogin({ host: '127.0.0.1', port: dovecot.imapsPort, security: 'tls', username: user }, pass, {
      extraCaPem: [dovecot.cert.caPem],
    });

  test('a lookup just before the write does not hide the new user', async () => {
    for (let i = 0; i < 4; i++) {
      const user = { user: `neu${i}`, pass: `Pass-${i}-wort` };
      // Another user's login makes the auth process look at the file now, in this second, without the new user
      // (in the e2e suite the previous test's connections do that).
      await login('anna', 'geheim-123');
      await dovecot.addUser(user);
      await expect(login(user.user, user.pass)).resolves.toBeUndefined();
    }
  });
});
