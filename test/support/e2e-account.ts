import type { ConnectInput } from '../../electron/contract/account';
import type { Services } from '../../electron/services/app-services';
import { type AppHost, type AppHostOptions, startAppHost } from '../e2e/harness/app-host';
import type { DovecotServer, TestUser } from '../servers/dovecot';

/** What an account has besides its IMAP server: the sender address and its own SMTP server. */
export type AccountExtras = Pick<ConnectInput, 'email' | 'smtp'>;

/**
 * Signs `user` in through the contract's account.connect handler, as the setup form does (IMAP over
 * implicit TLS on the test Dovecot): the tests' one way to start with an account. The keychain gets the
 * password, the vault opens, the app lock records the unlocked state, the mail session starts syncing.
 */
export async function connectAccount(
  services: Services,
  dovecot: DovecotServer,
  user: TestUser,
  extras: AccountExtras = {},
): Promise<void> {
  await services.handlers.account.connect({
    host: '127.0.0.1',
    port: dovecot.imapsPort,
    security: 'tls',
    username: user.user,
    password: user.pass,
    ...extras,
  });
}

export interface SignedInOptions extends AppHostOptions {
  account?: AccountExtras;
  /** Runs after sign-in, before the page opens: put documents into the vault, expose bindings … */
  beforeOpen?(host: AppHost): Promise<unknown>;
  /**
   * The area the test starts in. The app itself starts on "Heute"; by default the helper clicks "E-Mail" in
   * the area navigation, as a person would, since most tests are about mail.
   */
  area?: 'today' | 'mail';
}

/** Switches to the area `id` through the area navigation (any UI language). */
export async function showArea(host: AppHost, id: string): Promise<void> {
  await host.page.locator(`.area-nav button[data-area="${id}"]`).click();
}

/**
 * An app host already signed in to `user` on `dovecot` (trusting its CA), with the renderer open on the
 * inbox (or on "Heute", `area`) and the connection online: the starting state of most end-to-end tests, built through the services.
 */
export async function startSignedIn(
  dovecot: DovecotServer,
  user: TestUser,
  options: SignedInOptions = {},
): Promise<AppHost> {
  const { account, beforeOpen, area = 'mail', ...hostOptions } = options;
  const host = await startAppHost({
    ...hostOptions,
    trust: { extraCaPem: [dovecot.cert.caPem, ...(hostOptions.trust?.extraCaPem ?? [])] },
  });
  try {
    await connectAccount(host.services, dovecot, user, account);
    await beforeOpen?.(host);
    await host.open();
    if (area === 'today') await host.page.locator('.today-sync [data-connection="online"]').waitFor();
    else {
      await host.page.locator('.today h1').waitFor();
      await showArea(host, 'mail');
      await host.page.locator('.mail-status[data-connection="online"]').waitFor();
    }
    return host;
  } catch (err) {
    await host.close();
    throw err;
  }
}
