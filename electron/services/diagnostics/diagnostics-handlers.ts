import type { RatsdeskHandlers } from '../../contract';
import type { AccountSettings } from '../../contract/account';
import { keychainAccountName } from '../account/account-service';
import { discoverMailServers, type MailDiscoveryOptions } from '../discovery/mail-discovery';
import type { KeychainService } from '../keychain/keychain-service';
import type { TlsTrust } from '../mail/imap-connection';
import type { EffectivePolicy } from '../policy/policy-resolver';
import { doctorInputForAccount, doctorInputFromPolicy, runDoctor } from './doctor';
import { renderDoctorText } from './doctor-text-report';

export interface DiagnosticsHandlerDeps {
  policy(): Promise<EffectivePolicy>;
  /** The stored account (no secret), or undefined. */
  account(): Promise<AccountSettings | undefined>;
  keychain: KeychainService;
  /** The mail connections' trust (the policy's extra CAs applied). */
  trust(): TlsTrust;
  /** The newest lines of the app's log, for the report. */
  logTail?: () => string[];
  /** Discovery settings of the host (tests: loopback, an extra CA, a fake SRV resolver). */
  discovery?: Pick<MailDiscoveryOptions, 'connectTo' | 'extraCaPem' | 'resolveSrv' | 'timeoutMs'>;
}

/** The `diagnostics` domain: the connection doctor with the stored account, and server discovery. */
export function diagnosticsHandlers(deps: DiagnosticsHandlerDeps): RatsdeskHandlers['diagnostics'] {
  return {
    run: async () => {
      const p = await deps.policy();
      const settings = await deps.account();
      const password = settings
        ? ((await deps.keychain.get(keychainAccountName(settings)).catch(() => null)) ?? undefined)
        : undefined;
      // The stored password goes only to the account's own IMAP server (doctorInputForAccount).
      const input = settings ? doctorInputForAccount(p, settings, password) : doctorInputFromPolicy(p);
      input.extraCaPem = deps.trust().extraCaPem;
      input.keychainService = deps.keychain.serviceName;
      input.logTail = deps.logTail?.();
      const report = await runDoctor(input);
      return { report, text: renderDoctorText(report) };
    },
    discover: async ({ email }) => {
      // The policy's extra CAs reach `trust` once the policy is read; a policy that cannot be read adds none.
      const p = await deps.policy().catch(() => undefined);
      // Only the machine policy's (locked) servers are presets; a user setting is no administration's word.
      const presetHosts = (['imapHost', 'smtpHost'] as const)
        .filter((key) => p?.isLocked(key))
        .map((key) => p?.get(key))
        .filter((host): host is string => typeof host === 'string' && host !== '');
      return discoverMailServers(email, {
        ...deps.discovery,
        presetHosts,
        extraCaPem: [...(deps.trust().extraCaPem ?? []), ...(deps.discovery?.extraCaPem ?? [])],
      });
    },
  };
}
