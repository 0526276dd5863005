import { describe, expect, it } from 'vitest';
import { smimeStatusCodes } from '../../electron/contract/smime-status';
import { smimeStatus } from '../../electron/services/mail/smime/smime-status';
import type { SmimeLayer, SmimeReading } from '../../electron/services/mail/smime/smime-reading';
import { messages } from '../../renderer/src/features/smime/messages';

type Sentences = Record<string, string>;
const de = (messages.de as { smime: { status: Sentences } }).smime.status;
const en = (messages.en as { smime: { status: Sentences } }).smime.status;

function layer(partial: Partial<SmimeLayer>): SmimeLayer {
  return { kind: 'signed', scope: 'message', signature: 'none', encrypted: false, decryption: 'n/a', ...partial };
}

function reading(layers: SmimeLayer[]): SmimeReading {
  const own = layers.filter((l) => l.scope === 'message');
  const signed = own.find((l) => l.signature !== 'none');
  const enc = own.find((l) => l.encrypted);
  return {
    signature: signed?.signature ?? 'none',
    encrypted: !!enc,
    decryption: enc?.decryption ?? 'n/a',
    layers,
  };
}

describe('S/MIME status line', () => {
  it('every status code has its own German and English sentence', () => {
    for (const code of smimeStatusCodes) {
      expect(de[code], code).toBeTruthy();
      expect(en[code], code).toBeTruthy();
    }
    expect(new Set(smimeStatusCodes.map((c) => de[c])).size).toBe(smimeStatusCodes.length);
    expect(new Set(smimeStatusCodes.map((c) => en[c])).size).toBe(smimeStatusCodes.length);
    expect(Object.keys(de).sort()).toEqual([...smimeStatusCodes].sort());
    expect(Object.keys(en).sort()).toEqual([...smimeStatusCodes].sort());
  });

  it('says the five sentences of the issue in German', () => {
    expect(de['signed-valid']).toBe('Digital signiert von {{name}} ({{email}}), Zertifikat gültig');
    expect(de['signature-bad']).toBe('Signatur ungültig — der Inhalt wurde verändert');
    expect(de['signer-mismatch']).toBe('Signiert, aber nicht vom Absender');
    expect(de['signer-untrusted']).toBe('Zertifikat einer unbekannten Stelle');
    expect(de['encrypted-no-key']).toBe('Verschlüsselt — kein passender Schlüssel auf diesem Gerät');
  });

  it('a closed encryption outranks everything; an opened one yields to the signature inside', () => {
    const enc = layer({ kind: 'enveloped', encrypted: true, decryption: 'ok' });
    expect(smimeStatus(reading([enc, layer({ signature: 'bad' })]))).toMatchObject({
      code: 'signature-bad',
      encrypted: true,
    });
    expect(smimeStatus(reading([layer({ signature: 'good' }), { ...enc, decryption: 'no-key' }]))?.code).toBe(
      'encrypted-no-key',
    );
    expect(smimeStatus(reading([enc]))).toMatchObject({ code: 'encrypted', encrypted: true });
    expect(
      smimeStatus(reading([layer({ signature: 'good' }), layer({ signature: 'good', scope: 'attached' })])),
    ).toMatchObject({
      code: 'signed-valid',
      attached: 'signed-valid',
    });
    expect(smimeStatus(reading([]))).toBeNull();
  });
});
