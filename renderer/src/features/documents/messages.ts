import type { FeatureMessages } from '../../i18n/messages';

export const messages: FeatureMessages = {
  de: {
    errors: {
      DOCUMENT_UNREADABLE:
        'Dieses Dokument lässt sich nicht lesen (beschädigt oder in einem unbekannten Aufbau). Sie können es mit „Speichern unter …“ weitergeben oder neu abrufen.',
      NOTES_RECOVERY_CODE_INVALID:
        'Dieser Wiederherstellungscode stimmt nicht. Prüfen Sie ihn auf dem Gerät, auf dem Ihre Notizen schon sind (Einstellungen → Notizen), und geben Sie ihn erneut ein.',
      NOTES_KEY_MISSING:
        'Auf diesem Gerät fehlt der Schlüssel Ihrer Notizen. Geben Sie den Wiederherstellungscode von Ihrem anderen Gerät ein.',
      NOTES_KEY_CONFLICT:
        'Dieses Gerät hat bereits einen anderen Notizen-Schlüssel. Ein zweiter Schlüssel würde Ihre Notizen trennen; wenden Sie sich an Ihre IT.',
      NOTES_UNREADABLE:
        'Eine Notiz vom Server lässt sich mit Ihrem Schlüssel nicht öffnen (beschädigt oder mit einem anderen Schlüssel verschlüsselt). Ihre übrigen Notizen sind davon nicht betroffen.',
      DOCUMENT_PREVIEW_REFUSED:
        'Die Vorschau wurde zu Ihrem Schutz abgebrochen: Die Datei ist zu umfangreich oder ungewöhnlich aufgebaut. Öffnen Sie sie mit „Speichern unter …“ in einem anderen Programm, wenn Ihre IT das erlaubt.',
    },
    documents: {
      area: 'Dokumente',
      heading: 'Dokumente auf diesem Gerät',
      count_one: '{{count}} Dokument',
      count_other: '{{count}} Dokumente',
      usage: 'Belegt: {{used}} von {{quota}}',
      listLabel: 'Gespeicherte Dokumente',
      empty: 'Es sind noch keine Dokumente auf diesem Gerät gespeichert.',
      name: 'Name',
      sourceLabel: 'Quelle',
      size: 'Größe',
      lastOpened: 'Zuletzt geöffnet',
      neverOpened: 'noch nie geöffnet',
      pinnedBadge: 'angeheftet',
      noText: 'kein Text (gescannt)',
      pin: 'Anheften',
      remove: 'Entfernen',
      removeNamed: '{{name}} entfernen',
      removed: '„{{name}}“ wurde von diesem Gerät entfernt.',
      saved: '„{{name}}“ wurde gespeichert.',
      saveAs: 'Speichern unter …',
      back: 'Zurück zur Liste',
      source: { message: 'E-Mail-Anhang', upload: 'Von Ihnen hinzugefügt' },
      removeAll: {
        heading: 'Alle lokalen Daten entfernen',
        explain:
          'Entfernt alle auf diesem Gerät gespeicherten Daten von Ratsdesk (Dokumente, Nachrichten, Sitzungsunterlagen) und den Schlüssel im Schlüsselbund. Auf dem Server bleibt alles erhalten.',
        start: 'Alle lokalen Daten entfernen …',
        confirmHeading: 'Wirklich alle lokalen Daten entfernen?',
        confirmText:
          'Alle lokal gespeicherten Daten, der Schlüssel und die Kontoverbindung werden gelöscht. Danach richten Sie Ratsdesk neu ein und synchronisieren erneut.',
        confirm: 'Ja, alles entfernen',
        cancel: 'Abbrechen',
      },
      preview: {
        wordFrame: 'Vorschau des Word-Dokuments',
        sheets: 'Tabellenblätter',
        emptyWorkbook: 'Diese Tabelle enthält keine Blätter.',
        moreCells:
          'Die Vorschau zeigt die ersten 2.000 Zeilen und 100 Spalten. Die ganze Tabelle öffnen Sie mit „Speichern unter …“ in einem anderen Programm.',
        moreSheets: 'Die Vorschau zeigt die ersten 50 Blätter.',
        text: 'Textinhalt',
        moreText: 'Die Vorschau zeigt den Anfang des Textes.',
      },
      viewer: {
        label: 'Dokument {{name}}',
        loading: 'Dokument wird geöffnet …',
        unreadable:
          'Dieses Dokument lässt sich nicht anzeigen. Sie können es über „Speichern unter …“ weitergeben oder erneut abrufen.',
        noPreview: 'Für diesen Dateityp gibt es keine Vorschau in Ratsdesk.',
        tools: 'Werkzeuge',
        previousPage: 'Vorherige Seite',
        nextPage: 'Nächste Seite',
        page: 'Seite',
        ofPages: 'von {{count}}',
        pageN: 'Seite {{page}}',
        pageOf: 'Seite {{page}} von {{count}}',
        thumbnails: 'Seitenübersicht',
        zoom: 'Zoom',
        zoomIn: 'Vergrößern',
        zoomOut: 'Verkleinern',
        searchLabel: 'Im Dokument suchen',
        searchPlaceholder: 'Im Dokument suchen',
        search: 'Suchen',
        previousHit: 'Vorheriger Treffer',
        nextHit: 'Nächster Treffer',
        hitOf: 'Treffer {{current}} von {{count}}',
        searching: 'Suche …',
        noHits: 'Kein Treffer',
        actualSize: 'Originalgröße',
      },
    },
  },
  en: {
    errors: {
      DOCUMENT_UNREADABLE:
        'This document cannot be read (damaged or built in an unknown way). You can pass it on with “Save as …” or fetch it again.',
      NOTES_RECOVERY_CODE_INVALID:
        'This recovery code is not right. Check it on the device that already has your notes (Settings → Notes) and enter it again.',
      NOTES_KEY_MISSING:
        'The key of your notes is missing on this device. Enter the recovery code from your other device.',
      NOTES_KEY_CONFLICT:
        'This device already has another notes key. A second key would split your notes; please contact your IT.',
      NOTES_UNREADABLE:
        'A note from the server cannot be opened with your key (damaged or encrypted with another key). Your other notes are not affected.',
      DOCUMENT_PREVIEW_REFUSED:
        'The preview was stopped to protect you: the file is too large or unusually built. Open it in another program with “Save as …” if your IT allows it.',
    },
    documents: {
      area: 'Documents',
      heading: 'Documents on this device',
      count_one: '{{count}} document',
      count_other: '{{count}} documents',
      usage: 'Used: {{used}} of {{quota}}',
      listLabel: 'Stored documents',
      empty: 'No documents are stored on this device yet.',
      name: 'Name',
      sourceLabel: 'Source',
      size: 'Size',
      lastOpened: 'Last opened',
      neverOpened: 'never opened',
      pinnedBadge: 'pinned',
      noText: 'no text (scanned)',
      pin: 'Pin',
      remove: 'Remove',
      removeNamed: 'Remove {{name}}',
      removed: '“{{name}}” was removed from this device.',
      saved: '“{{name}}” was saved.',
      saveAs: 'Save as …',
      back: 'Back to the list',
      source: { message: 'Mail attachment', upload: 'Added by you' },
      removeAll: {
        heading: 'Remove all local data',
        explain:
          'Removes everything Ratsdesk stored on this device (documents, messages, meeting papers) and the key in the keychain. Everything on the server stays.',
        start: 'Remove all local data …',
        confirmHeading: 'Really remove all local data?',
        confirmText:
          'All locally stored data, the key and the account connection are deleted. Afterwards you set up Ratsdesk again and sync anew.',
        confirm: 'Yes, remove everything',
        cancel: 'Cancel',
      },
      preview: {
        wordFrame: 'Preview of the Word document',
        sheets: 'Sheets',
        emptyWorkbook: 'This workbook has no sheets.',
        moreCells:
          'The preview shows the first 2,000 rows and 100 columns. Open the whole table in another program with “Save as …”.',
        moreSheets: 'The preview shows the first 50 sheets.',
        text: 'Text content',
        moreText: 'The preview shows the beginning of the text.',
      },
      viewer: {
        label: 'Document {{name}}',
        loading: 'Opening the document …',
        unreadable: 'This document cannot be shown. You can pass it on with “Save as …” or fetch it again.',
        noPreview: 'Ratsdesk has no preview for this file type.',
        tools: 'Tools',
        previousPage: 'Previous page',
        nextPage: 'Next page',
        page: 'Page',
        ofPages: 'of {{count}}',
        pageN: 'Page {{page}}',
        pageOf: 'Page {{page}} of {{count}}',
        thumbnails: 'Page overview',
        zoom: 'Zoom',
        zoomIn: 'Zoom in',
        zoomOut: 'Zoom out',
        searchLabel: 'Search in the document',
        searchPlaceholder: 'Search in the document',
        search: 'Search',
        previousHit: 'Previous hit',
        nextHit: 'Next hit',
        hitOf: 'Hit {{current}} of {{count}}',
        searching: 'Searching …',
        noHits: 'No hits',
        actualSize: 'Actual size',
      },
    },
  },
};
