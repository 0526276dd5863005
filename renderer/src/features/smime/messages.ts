import type { FeatureMessages } from '../../i18n/messages';

// One sentence per S/MIME status code (electron/contract/smime-status.ts), German first.
export const messages: FeatureMessages = {
  de: {
    errors: {
      SMIME_PKCS12_PASSWORD: 'Das Passwort passt nicht zu dieser Schlüsseldatei. Bitte erneut eingeben.',
      SMIME_PKCS12_INVALID: 'Die Datei ist keine lesbare PKCS#12-Datei (.p12/.pfx). Bitte die Datei prüfen.',
      SMIME_PKCS12_NO_KEY: 'Die Datei enthält keinen privaten Schlüssel zu einem Zertifikat.',
      SMIME_CERTIFICATE_INVALID: 'Die Datei enthält kein lesbares Zertifikat.',
      SMIME_KEY_UNSUPPORTED: 'Diese Schlüsselart unterstützt Ratsdesk nicht (nur RSA und EC P-256/384/521).',
      SMIME_RECIPIENT_UNSUITABLE: 'Das Zertifikat eines Empfängers erlaubt keine Verschlüsselung.',
      SMIME_RECIPIENT_CERTIFICATE_MISSING:
        'Für mindestens einen Empfänger ist kein Zertifikat bekannt: verschlüsselt senden geht so nicht.',
      SMIME_NO_IDENTITY: 'Für Ihre Absenderadresse ist kein gültiges eigenes Zertifikat eingerichtet.',
      SMIME_SIGNING_REQUIRED: 'Die Richtlinie verlangt signierte Nachrichten: bitte „Signieren“ einschalten.',
      SMIME_DIRECTORY_NOT_LDAPS:
        'Das Zertifikatsverzeichnis ist nicht per ldaps:// eingerichtet und wird nicht benutzt.',
      SMIME_DIRECTORY_UNREACHABLE: 'Das Zertifikatsverzeichnis ist nicht erreichbar. Später erneut versuchen.',
    },
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
    errors: {
      SMIME_PKCS12_PASSWORD: 'The password does not fit this key file. Please enter it again.',
      SMIME_PKCS12_INVALID: 'The file is no readable PKCS#12 file (.p12/.pfx). Please check the file.',
      SMIME_PKCS12_NO_KEY: 'The file holds no private key for a certificate.',
      SMIME_CERTIFICATE_INVALID: 'The file holds no readable certificate.',
      SMIME_KEY_UNSUPPORTED: 'Ratsdesk does not support this kind of key (only RSA and EC P-256/384/521).',
      SMIME_RECIPIENT_UNSUITABLE: 'A recipient’s certificate does not allow encryption.',
      SMIME_RECIPIENT_CERTIFICATE_MISSING:
        'No certificate is known for at least one recipient: it cannot be sent encrypted.',
      SMIME_NO_IDENTITY: 'No valid certificate of your own is set up for your sender address.',
      SMIME_SIGNING_REQUIRED: 'The policy requires signed messages: please switch on “Sign”.',
      SMIME_DIRECTORY_NOT_LDAPS: 'The certificate directory is not set up as ldaps:// and is not used.',
      SMIME_DIRECTORY_UNREACHABLE: 'The certificate directory cannot be reached. Try again later.',
    },
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
