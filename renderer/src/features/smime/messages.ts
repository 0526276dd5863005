import type { FeatureMessages } from '../../i18n/messages';

// One sentence per S/MIME status code (electron/contract/smime-status.ts), German first.
export const messages: FeatureMessages = {
  de: {
    smime: {
      alsoEncrypted: 'verschlüsselt',
      attached: 'Weitergeleitete Nachricht: {{status}}',
      certificate: {
        show: 'Zertifikat anzeigen',
        subject: 'Inhaber',
        email: 'E-Mail-Adressen',
        issuer: 'Ausgestellt von',
        validity: 'Gültig',
        serial: 'Seriennummer',
        fingerprint: 'Fingerabdruck (SHA-256)',
      },
      status: {
        'signed-valid': 'Digital signiert von {{name}} ({{email}}), Zertifikat gültig',
        'signed-weak': 'Digital signiert von {{name}} ({{email}}), aber mit dem veralteten Verfahren SHA-1',
        'signature-bad': 'Signatur ungültig — der Inhalt wurde verändert',
        'signer-mismatch': 'Signiert, aber nicht vom Absender',
        'signer-untrusted': 'Zertifikat einer unbekannten Stelle',
        'signer-expired': 'Signiert mit einem abgelaufenen Zertifikat',
        'signer-not-yet-valid': 'Signiert mit einem Zertifikat, das noch nicht gültig ist',
        'signature-unsupported': 'Signiert mit einem Verfahren, das Ratsdesk nicht prüfen kann',
        encrypted: 'Verschlüsselt',
        'encrypted-no-key': 'Verschlüsselt — kein passender Schlüssel auf diesem Gerät',
        'encrypted-failed': 'Verschlüsselt — die Nachricht ließ sich nicht entschlüsseln',
        malformed: 'S/MIME-Daten beschädigt oder unvollständig',
        refused: 'S/MIME-Nachricht zu groß oder zu tief verschachtelt — nicht geöffnet',
      },
    },
  },
  en: {
    smime: {
      alsoEncrypted: 'encrypted',
      attached: 'Forwarded message: {{status}}',
      certificate: {
        show: 'Show certificate',
        subject: 'Holder',
        email: 'E-mail addresses',
        issuer: 'Issued by',
        validity: 'Valid',
        serial: 'Serial number',
        fingerprint: 'Fingerprint (SHA-256)',
      },
      status: {
        'signed-valid': 'Digitally signed by {{name}} ({{email}}), certificate valid',
        'signed-weak': 'Digitally signed by {{name}} ({{email}}), but with the outdated SHA-1 method',
        'signature-bad': 'Signature invalid — the content was changed',
        'signer-mismatch': 'Signed, but not by the sender',
        'signer-untrusted': 'Certificate from an unknown authority',
        'signer-expired': 'Signed with an expired certificate',
        'signer-not-yet-valid': 'Signed with a certificate that is not valid yet',
        'signature-unsupported': 'Signed with a method Ratsdesk cannot check',
        encrypted: 'Encrypted',
        'encrypted-no-key': 'Encrypted — no matching key on this device',
        'encrypted-failed': 'Encrypted — the message could not be decrypted',
        malformed: 'S/MIME data damaged or incomplete',
        refused: 'S/MIME message too large or nested too deeply — not opened',
      },
    },
  },
};
