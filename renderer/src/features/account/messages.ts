import type { FeatureMessages } from '../../i18n/messages';

export const messages: FeatureMessages = {
  de: {
    account: {
      securityTlsPort: 'TLS (empfohlen, Port {{port}})',
      securityStarttlsPort: 'STARTTLS (Port {{port}})',
      sender: 'Absenderadresse',
      senderHint:
        'Mit dieser Adresse werden Ihre Nachrichten gesendet. Leer: der Benutzername, wenn er eine Adresse ist.',
      smtpHeading: 'Postausgang (SMTP)',
      smtpDefault: 'Gesendet wird über {{server}} ({{security}}) mit derselben Anmeldung.',
      smtpDefaultNoHost: 'Gesendet wird über den Mailserver oben, Port 587 (STARTTLS), mit derselben Anmeldung.',
      smtpChange: 'Anderen Postausgangsserver eintragen',
      smtpUseDefault: 'Standard verwenden (Mailserver oben, Port 587)',
      smtpHost: 'Postausgangsserver (SMTP)',
      smtpSecurity: 'SMTP-Verschlüsselung',
      smtpPort: 'SMTP-Port',
    },
  },
  en: {
    account: {
      securityTlsPort: 'TLS (recommended, port {{port}})',
      securityStarttlsPort: 'STARTTLS (port {{port}})',
      sender: 'Sender address',
      senderHint: 'Your messages are sent from this address. Empty: the user name, when it is an address.',
      smtpHeading: 'Outgoing mail (SMTP)',
      smtpDefault: 'Mail is sent through {{server}} ({{security}}) with the same sign-in.',
      smtpDefaultNoHost: 'Mail is sent through the mail server above, port 587 (STARTTLS), with the same sign-in.',
      smtpChange: 'Enter a different outgoing server',
      smtpUseDefault: 'Use the default (mail server above, port 587)',
      smtpHost: 'Outgoing server (SMTP)',
      smtpSecurity: 'SMTP encryption',
      smtpPort: 'SMTP port',
    },
  },
};
