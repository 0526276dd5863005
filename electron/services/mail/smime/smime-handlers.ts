import type { RatsdeskHandlers } from '../../../contract';
import type { SmimeIdentity } from '../../../contract/smime';
import { certificateFacts, parseCertificate } from './certificate-facts';
import type { StoredIdentity } from './smime-repository';
import type { SmimeService } from './smime-service';

/** Above this a file is no .p12/.pfx or certificate file a person would pick. */
const MAX_FILE_BYTES = 1024 * 1024;

function fileBytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64')).subarray(0, MAX_FILE_BYTES);
}

function identityInfo(i: StoredIdentity & { expiresSoon: boolean; expired: boolean }): SmimeIdentity {
  const chain = i.chainPem.flatMap((pem) => {
    try {
      return [certificateFacts(parseCertificate(pem)).subject];
    } catch {
      return [];
    }
  });
  return {
    id: i.id,
    subject: i.subject,
    issuer: i.issuer,
    email: i.email,
    notBefore: i.notBefore.toISOString(),
    notAfter: i.notAfter.toISOString(),
    fingerprint: i.fingerprint,
    chain: chain.slice(0, 20),
    expiresSoon: i.expiresSoon,
    expired: i.expired,
  };
}

/** The `smime` domain over the SmimeService; `sender` names the signed-in account's address, if any. */
export function smimeHandlers(
  smime: SmimeService,
  sender: () => Promise<string | null>,
  signing: () => Promise<'off' | 'default' | 'mandatory'>,
): RatsdeskHandlers['smime'] {
  return {
    state: async () => {
      const from = await sender();
      const identities = await smime.identities();
      return {
        identities: identities.slice(0, 100).map(identityInfo),
        signing: await signing(),
        canProtect: from !== null && (await smime.identityFor(from)) !== undefined,
      };
    },
    importIdentity: async ({ fileBase64, password }) => {
      const stored = await smime.importIdentity(fileBytes(fileBase64), password);
      const listed = (await smime.identities()).find((i) => i.id === stored.id);
      return identityInfo(listed ?? { ...stored, expiresSoon: false, expired: false });
    },
    removeIdentity: async ({ id }) => smime.removeIdentity(id),
    importCertificates: async ({ fileBase64 }) => ({ stored: await smime.importCertificates(fileBytes(fileBase64)) }),
    recipients: async ({ addresses }) => smime.recipients(addresses),
  };
}
