import type { FeatureMessages } from '../../i18n/messages';

export const messages: FeatureMessages = {
  de: {
    search: {
      open: 'Überall suchen',
      openShortcut: 'Überall suchen (Strg+K)',
      heading: 'Überall suchen',
      label: 'Suchbegriffe',
      placeholder: 'In E-Mails, Vorlagen, Sitzungen, Dokumenten und Notizen suchen',
      searching: 'Suche läuft …',
      hits_one: '{{count, number}} Treffer',
      hits_other: '{{count, number}} Treffer',
      noHits: 'Keine Treffer für „{{query}}“.',
      unavailable: 'Nicht durchsucht: {{kinds}}.',
      untitled: '(ohne Titel)',
      page: 'Seite {{page}}',
      close: 'Schließen',
      kind: {
        mail: 'E-Mails',
        paper: 'Vorlagen',
        meeting: 'Sitzungen',
        agendaItem: 'Tagesordnungspunkte',
        document: 'Dokumente',
        note: 'Notizen',
      },
    },
  },
  en: {
    search: {
      open: 'Search everywhere',
      openShortcut: 'Search everywhere (Ctrl+K)',
      heading: 'Search everywhere',
      label: 'Search terms',
      placeholder: 'Search mail, papers, meetings, documents and notes',
      searching: 'Searching …',
      hits_one: '{{count, number}} hit',
      hits_other: '{{count, number}} hits',
      noHits: 'No hits for “{{query}}”.',
      unavailable: 'Not searched: {{kinds}}.',
      untitled: '(untitled)',
      page: 'Page {{page}}',
      close: 'Close',
      kind: {
        mail: 'Mail',
        paper: 'Papers',
        meeting: 'Meetings',
        agendaItem: 'Agenda items',
        document: 'Documents',
        note: 'Notes',
      },
    },
  },
};
