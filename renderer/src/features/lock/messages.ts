import type { FeatureMessages } from '../../i18n/messages';

export const messages: FeatureMessages = {
  de: {
    lock: {
      heading: 'Ratsdesk ist gesperrt',
      reason: {
        demand: 'Sie haben Ratsdesk gesperrt. Geben Sie Ihr Passwort ein, um weiterzuarbeiten.',
        idle: 'Ratsdesk wurde nach längerer Inaktivität gesperrt. Geben Sie Ihr Passwort ein, um weiterzuarbeiten.',
        os: 'Ratsdesk wurde gesperrt, weil der Bildschirm gesperrt wurde. Geben Sie Ihr Passwort ein, um weiterzuarbeiten.',
        start: 'Ratsdesk startet gesperrt. Geben Sie Ihr Passwort ein, um weiterzuarbeiten.',
      },
      password: 'Passwort Ihres Postfachs',
      unlock: 'Entsperren',
      unlocking: 'Prüfe …',
      lockNow: 'Sperren',
    },
    errors: {
      APP_LOCKED: 'Ratsdesk ist gesperrt. Entsperren Sie die App mit Ihrem Passwort.',
    },
  },
  en: {
    lock: {
      heading: 'Ratsdesk is locked',
      reason: {
        demand: 'You locked Ratsdesk. Enter your password to continue.',
        idle: 'Ratsdesk locked after a period of inactivity. Enter your password to continue.',
        os: 'Ratsdesk locked because the screen was locked. Enter your password to continue.',
        start: 'Ratsdesk starts locked. Enter your password to continue.',
      },
      password: 'Password of your mailbox',
      unlock: 'Unlock',
      unlocking: 'Checking …',
      lockNow: 'Lock',
    },
    errors: {
      APP_LOCKED: 'Ratsdesk is locked. Unlock it with your password.',
    },
  },
};
