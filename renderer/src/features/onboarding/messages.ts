import type { FeatureMessages } from '../../i18n/messages';

export const messages: FeatureMessages = {
  de: {
    onboarding: {
      emailIntro:
        'Geben Sie Ihre dienstliche E-Mail-Adresse ein. Ratsdesk sucht die passenden Server selbst. Das Passwort wird im Schlüsselbund des Betriebssystems gespeichert, nie in einer Datei.',
      email: 'E-Mail-Adresse',
      next: 'Weiter',
      searching: 'Suche Server …',
      manual: 'Manuell einrichten',
      back: 'Andere Adresse',
      backToEmail: 'Zurück zur Einrichtung mit E-Mail-Adresse',
      foundHeading: 'Server gefunden',
      foundIntro:
        'Für {{email}} wurden diese Server gefunden. Geben Sie Ihr Passwort ein, um die Verbindung zu prüfen.',
      foundServers: 'Gefundene Server',
      imap: 'Posteingang (IMAP)',
      smtp: 'Versand (SMTP)',
      source: 'Gefunden über',
      method: {
        autoconfig: 'Autokonfiguration des Anbieters',
        'autoconfig-well-known': 'Autokonfiguration der Domain',
        srv: 'DNS-Einträge (SRV)',
      },
      foreignHeading: 'Server außerhalb Ihrer Domain',
      foreignWarning:
        'Achtung: Für {{email}} wurde ein Server gefunden, der nicht zur Domain {{domain}} Ihrer Adresse gehört: {{hosts}}. Ein solcher Eintrag kann gefälscht sein. Wenn Sie fortfahren, erhält dieser Server Ihr Passwort. Fahren Sie nur fort, wenn Ihre IT-Abteilung Ihnen genau diesen Server genannt hat.',
      foreignConfirm: 'Ich vertraue {{hosts}} – weiter zur Anmeldung',
      outsideDomain: '(außerhalb von {{domain}})',
      presetHeading: 'Anmelden',
      presetIntro:
        'Ihre IT-Verwaltung hat den Mailserver {{host}} eingerichtet. Melden Sie sich mit Ihrem Benutzernamen und Passwort an.',
    },
  },
  en: {
    onboarding: {
      emailIntro:
        'Enter your work e-mail address. Ratsdesk finds the right servers itself. The password is stored in the operating system keychain, never in a file.',
      email: 'E-mail address',
      next: 'Next',
      searching: 'Looking for servers …',
      manual: 'Set up manually',
      back: 'Other address',
      backToEmail: 'Back to setup by e-mail address',
      foundHeading: 'Servers found',
      foundIntro: 'These servers were found for {{email}}. Enter your password to test the connection.',
      foundServers: 'Servers found',
      imap: 'Incoming (IMAP)',
      smtp: 'Outgoing (SMTP)',
      source: 'Found through',
      method: {
        autoconfig: 'the provider’s autoconfiguration',
        'autoconfig-well-known': 'the domain’s autoconfiguration',
        srv: 'DNS records (SRV)',
      },
      foreignHeading: 'Server outside your domain',
      foreignWarning:
        'Caution: a server was found for {{email}} that does not belong to your address’s domain {{domain}}: {{hosts}}. Such an entry can be forged. If you continue, this server receives your password. Continue only if your IT department gave you exactly this server.',
      foreignConfirm: 'I trust {{hosts}} – continue to sign in',
      outsideDomain: '(outside {{domain}})',
      presetHeading: 'Sign in',
      presetIntro:
        'Your IT administration has set up the mail server {{host}}. Sign in with your user name and password.',
    },
  },
};
