import type { FeatureMessages } from '../../i18n/messages';

export const messages: FeatureMessages = {
  de: {
    today: {
      area: 'Heute',
      heading: 'Heute',
      meetings: {
        heading: 'Nächste Sitzungen meiner Gremien',
        none: 'Keine anstehenden Sitzungen. Gremien wählen Sie unter „Ratsinfo“.',
        offline: {
          none: 'Nicht offline verfügbar',
          partial: 'Teilweise offline verfügbar',
          complete: 'Offline verfügbar',
        },
        makeOffline: 'Offline verfügbar machen',
        makeOfflineFor: 'Offline verfügbar machen: „{{name}}“',
        working: 'Wird gespeichert …',
        pack: {
          progress_one: '{{available}} von {{count}} Sitzung offline verfügbar',
          progress_other: '{{available}} von {{count}} Sitzungen offline verfügbar',
          running: 'wird geladen …',
          offline: 'pausiert: Ratsinfo nicht erreichbar',
          locked: 'pausiert, solange Ratsdesk gesperrt ist',
        },
      },
      mail: {
        heading: 'Ungelesen im Posteingang',
        none: 'Keine ungelesenen Nachrichten.',
      },
      documents: {
        heading: 'Zuletzt geöffnete Dokumente',
        none: 'Noch kein Dokument geöffnet.',
      },
      sync: {
        heading: 'Abgleich',
        mail: 'E-Mail: {{state}}',
        council: 'Ratsinfo „{{name}}“: zuletzt abgeglichen {{when}}',
        councilNever: 'Ratsinfo „{{name}}“: noch nicht abgeglichen',
      },
    },
  },
  en: {
    today: {
      area: 'Today',
      heading: 'Today',
      meetings: {
        heading: 'Next meetings of my bodies',
        none: 'No upcoming meetings. Choose your bodies under “Council info”.',
        offline: {
          none: 'Not available offline',
          partial: 'Partly available offline',
          complete: 'Available offline',
        },
        makeOffline: 'Make available offline',
        makeOfflineFor: 'Make available offline: “{{name}}”',
        working: 'Saving …',
        pack: {
          progress_one: '{{available}} of {{count}} meeting available offline',
          progress_other: '{{available}} of {{count}} meetings available offline',
          running: 'loading …',
          offline: 'paused: council info not reachable',
          locked: 'paused while Ratsdesk is locked',
        },
      },
      mail: {
        heading: 'Unread in the inbox',
        none: 'No unread messages.',
      },
      documents: {
        heading: 'Recently opened documents',
        none: 'No document opened yet.',
      },
      sync: {
        heading: 'Sync',
        mail: 'Mail: {{state}}',
        council: 'Council info “{{name}}”: last synced {{when}}',
        councilNever: 'Council info “{{name}}”: not synced yet',
      },
    },
  },
};
