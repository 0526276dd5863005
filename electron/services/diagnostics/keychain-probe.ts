import { randomBytes } from 'node:crypto';
import { KeychainService } from '../keychain/keychain-service';
import { runStep } from './check-step';
import type { DoctorCheck } from './doctor-report';

/**
 * Writes, reads and deletes a random probe entry in the OS keychain, and (when an account is named)
 * checks that a password is stored for it, without ever reading it into the report.
 */
export async function probeKeychain(serviceName: string, account?: string): Promise<DoctorCheck[]> {
  const keychain = new KeychainService(serviceName);
  const checks: DoctorCheck[] = [];
  const probeAccount = `ratsdesk-doctor-probe-${process.pid}`;
  const roundtrip = await runStep('keychain', 'roundtrip', async () => {
    const value = randomBytes(16).toString('hex');
    await keychain.set(probeAccount, value);
    const back = await keychain.get(probeAccount);
    await keychain.delete(probeAccount);
    if (back !== value)
      return { status: 'fail', code: 'KEYCHAIN_UNAVAILABLE', detail: 'the keychain did not return what was stored' };
    return { detail: `write, read and delete work (service "${serviceName}")` };
  });
  checks.push(roundtrip);
  if (account !== undefined) {
    checks.push(
      roundtrip.status === 'fail'
        ? { area: 'keychain', step: 'account', status: 'skipped', detail: 'keychain not usable', durationMs: 0 }
        : await runStep('keychain', 'account', async () => {
            const stored = (await keychain.get(account)) !== null;
            return stored
              ? { detail: `a password is stored for ${account}` }
              : {
                  status: 'warn',
                  code: 'NO_ACCOUNT',
                  detail: `no password stored for ${account}; the app will ask for it`,
                };
          }),
    );
  }
  return checks;
}
