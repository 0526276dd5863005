import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { KeychainService } from '../../electron/services/keychain/keychain-service';

describe('KeychainService against a real Secret Service (gnome-keyring)', () => {
  test('stores, reads, lists and deletes a secret', async () => {
    const keychain = new KeychainService(`ratsdesk-test-${randomUUID()}`);
    expect(await keychain.get('anna')).toBeNull();
    await keychain.set('anna', 'geheim-123');
    expect(await keychain.get('anna')).toBe('geheim-123');
    expect(await keychain.accounts()).toEqual(['anna']);
    expect(await keychain.delete('anna')).toBe(true);
    expect(await keychain.get('anna')).toBeNull();
  });
});
