export const de = {
  app: {
    title: 'Ratsdesk',
    language: 'Sprache',
    skipToContent: 'Zum Inhalt springen',
    areas: 'Bereiche',
    areaLoading: 'Bereich wird geladen …',
    areaLoadFailed: 'Der Bereich konnte nicht geladen werden.',
    areaRetry: 'Erneut versuchen',
  },
  account: {
    heading: 'Dienstliches Postfach verbinden',
    intro:
      'Geben Sie die Daten Ihres Mailservers ein. Das Passwort wird im Schlüsselbund des Betriebssystems gespeichert, nie in einer Datei.',
    host: 'Mailserver (IMAP)',
    port: 'Port',
    security: 'Verschlüsselung',
    username: 'Benutzername',
    password: 'Passwort',
    connect: 'Verbinden',
    connecting: 'Verbinde …',
    restoring: 'Verbinde mit dem gespeicherten Konto …',
  },
  dateField: {
    day: 'TT',
    month: 'MM',
    year: 'JJJJ',
    invalid: 'Kein gültiges Datum. Bitte als {{pattern}} eingeben, z. B. 29.11.2026.',
  },
  errors: {
    AUTH_FAILED: 'Benutzername oder Passwort ist falsch. Bitte prüfen Sie Ihre Eingabe; bei Bedarf hilft Ihre IT.',
    TLS_CERT_UNTRUSTED:
      'Das Zertifikat des Servers ist nicht vertrauenswürdig. Die Verbindung wurde zu Ihrem Schutz nicht aufgebaut. Bitte wenden Sie sich an Ihre IT.',
    TLS_NOT_OFFERED:
      'Der Server bietet keine verschlüsselte Verbindung an. Ratsdesk verbindet sich nur verschlüsselt. Prüfen Sie Port und Verschlüsselung oder fragen Sie Ihre IT.',
    CONNECTION_REFUSED: 'Der Server nimmt auf diesem Port keine Verbindung an. Prüfen Sie Servername und Port.',
    HOST_NOT_FOUND: 'Der Servername wurde nicht gefunden. Prüfen Sie die Schreibweise und Ihre Internetverbindung.',
    TIMEOUT: 'Der Server antwortet nicht. Prüfen Sie Ihre Internetverbindung und versuchen Sie es später erneut.',
    SERVER_ERROR:
      'Der Server hat die Anfrage abgelehnt. Versuchen Sie es später erneut oder wenden Sie sich an Ihre IT.',
    KEYCHAIN_UNAVAILABLE:
      'Der Schlüsselbund des Betriebssystems ist nicht erreichbar oder gesperrt. Entsperren Sie ihn und versuchen Sie es erneut.',
    NO_ACCOUNT: 'Es ist noch kein Konto eingerichtet.',
    NOT_CONNECTED: 'Keine Verbindung zum Server. Bitte verbinden Sie sich erneut.',
    INVALID_INPUT: 'Die Eingabe ist unvollständig oder ungültig. Bitte prüfen Sie die Felder.',
    IPC_SENDER_REJECTED: 'Diese Anfrage kam nicht aus Ratsdesk selbst und wurde abgewiesen.',
    VAULT_KEY_MISSING:
      'Der Schlüssel für Ihre lokalen Daten fehlt im Schlüsselbund. Sie können die lokalen Daten entfernen und neu synchronisieren.',
    VAULT_UNREADABLE:
      'Die lokalen Daten lassen sich nicht lesen (falscher Schlüssel oder beschädigte Datei). Sie können die lokalen Daten entfernen und neu synchronisieren.',
    VAULT_DISK_FULL:
      'Der Datenträger ist voll. Bereits gespeicherte Daten bleiben erhalten; geben Sie Speicherplatz frei.',
    DOCUMENT_CHECKSUM_MISMATCH:
      'Das Dokument ist beschädigt angekommen (Prüfsumme stimmt nicht) und wurde nicht gespeichert.',
    DOCUMENT_TRUNCATED: 'Das Dokument ist unvollständig angekommen und wurde nicht gespeichert.',
    DOCUMENT_NOT_FOUND: 'Das Dokument ist nicht mehr im lokalen Speicher.',
    DOCUMENT_TOO_LARGE: 'Das Dokument ist größer als der verfügbare Speicher.',
    EXPORT_FORBIDDEN: 'Das Speichern von Dokumenten außerhalb von Ratsdesk ist durch Ihre IT nicht erlaubt.',
    PRINT_FORBIDDEN: 'Drucken ist durch Ihre IT nicht erlaubt.',
    SAVE_NAME_TOO_LONG:
      'Die Datei wurde nicht gespeichert: Der Name ist für diesen Speicherort zu lang. Wählen Sie einen kürzeren Namen.',
    SAVE_DISK_FULL: 'Die Datei wurde nicht gespeichert: Der Datenträger ist voll. Geben Sie Speicherplatz frei.',
    SAVE_NOT_PERMITTED:
      'Die Datei wurde nicht gespeichert: In diesen Ordner dürfen Sie nicht schreiben. Wählen Sie einen anderen Ort.',
    SAVE_FAILED:
      'Die Datei wurde nicht gespeichert: Der Speicherort hat das Schreiben abgelehnt. Wählen Sie einen anderen Ort.',
    RECIPIENT_OUTSIDE_BLOCKED:
      'Mindestens ein Empfänger liegt außerhalb der erlaubten Adressen Ihrer Verwaltung. Ihre IT erlaubt das Senden dorthin nicht; die Nachricht wurde nicht gesendet.',
    RECIPIENT_OUTSIDE_CONFIRM:
      'Mindestens ein Empfänger liegt außerhalb Ihrer Verwaltung. Bitte bestätigen Sie die Empfänger, bevor die Nachricht gesendet wird.',
    FORWARD_OUTSIDE_BLOCKED:
      'Das Weiterleiten von Nachrichten an Empfänger außerhalb Ihrer Verwaltung ist durch Ihre IT nicht erlaubt; die Nachricht wurde nicht gesendet.',
    CALENDAR_UNREADABLE:
      'Die Kalenderdaten (iCalendar, .ics) sind beschädigt oder unvollständig und können nicht gelesen werden. Bitten Sie den Absender, die Einladung erneut zu senden.',
    CALENDAR_TOO_LARGE:
      'Die Kalenderdaten sind zu groß oder zu verschachtelt und wurden zum Schutz Ihres Geräts nicht gelesen. Importieren Sie die Termine in kleineren Teilen.',
    CALENDAR_NOT_AN_INVITATION:
      'Diese Nachricht enthält keine Einladung, auf die Sie antworten können (z. B. Ihre eigene Einladung oder nur eine Terminmitteilung).',
    INTERNAL: 'Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut; bleibt er, hilft Ihre IT.',
    RIS_INVALID_JSON:
      'Das Ratsinformationssystem hat eine unlesbare Antwort geschickt. Dieses Objekt kann gerade nicht angezeigt werden; alles andere bleibt nutzbar.',
    RIS_WRONG_TYPE:
      'Das Ratsinformationssystem hat an dieser Stelle ein anderes Objekt geliefert als erwartet. Es wurde nicht übernommen.',
    RIS_INVALID_OBJECT:
      'Ein Eintrag des Ratsinformationssystems ist unvollständig oder fehlerhaft und wurde übersprungen.',
    RIS_RESPONSE_TOO_LARGE:
      'Die Antwort des Ratsinformationssystems ist ungewöhnlich groß und wurde zum Schutz abgebrochen.',
    RIS_PAGING_LOOP:
      'Das Ratsinformationssystem verweist beim Blättern im Kreis. Der Abruf wurde beendet; bereits Geladenes bleibt erhalten.',
    RIS_REDIRECT_REJECTED:
      'Das Ratsinformationssystem hat auf eine fremde oder unverschlüsselte Adresse umgeleitet. Die Umleitung wurde nicht befolgt.',
    RIS_HTTP_ERROR:
      'Das Ratsinformationssystem hat die Anfrage mit einem Fehler beantwortet. Versuchen Sie es später erneut.',
    RIS_NOT_HTTPS:
      'Diese Adresse des Ratsinformationssystems ist nicht verschlüsselt (kein https) und wird nicht geöffnet.',
    RIS_NOT_PDF: 'Die Datei gibt sich als PDF aus, ist aber keines. Sie wurde nicht gespeichert.',
    RIS_TIMEOUT: 'Das Ratsinformationssystem antwortet nicht rechtzeitig. Versuchen Sie es später erneut.',
    RIS_NOT_CONFIGURED: 'Es ist noch kein Ratsinformationssystem eingerichtet. Ihre IT kann es vorgeben.',
    MAIL_UNPARSEABLE: 'Diese Nachricht ist fehlerhaft aufgebaut. Angezeigt werden ihre Kopfzeilen und der Quelltext.',
    MAIL_PART_NOT_FOUND: 'Dieser Teil der Nachricht (etwa ein Anhang) ist nicht mehr vorhanden.',
    SMTP_AUTH_FAILED: 'Der Postausgangsserver hat die Anmeldung abgelehnt. Prüfen Sie Benutzername und Passwort.',
    SMTP_RECIPIENT_REJECTED: 'Der Server hat mindestens einen Empfänger abgelehnt. Prüfen Sie die Adressen.',
    SMTP_MESSAGE_REJECTED: 'Der Server hat die Nachricht abgelehnt. Sie bleibt im Postausgang.',
    SMTP_MESSAGE_TOO_LARGE:
      'Die Nachricht ist für den Server zu groß. Entfernen Sie Anhänge oder verlinken Sie Dokumente.',
    SMTP_TEMPORARY_FAILURE:
      'Der Postausgangsserver ist vorübergehend nicht erreichbar. Die Nachricht bleibt im Postausgang und wird später gesendet.',
    OUTBOX_ITEM_NOT_FOUND: 'Diese Nachricht ist nicht mehr im Postausgang.',
    DRAFT_NOT_FOUND: 'Dieser Entwurf ist nicht mehr vorhanden.',
    POLICY_LOCKED: 'Diese Einstellung ist von Ihrer IT-Abteilung festgelegt und kann hier nicht geändert werden.',
    DISCOVERY_FAILED:
      'Die Servereinstellungen für diese Adresse konnten nicht automatisch ermittelt werden. Bitte geben Sie sie von Hand ein.',
    UNKNOWN: 'Ein Fehler ist aufgetreten (Code {{code}}).',
  },
};
export type Messages = typeof de;
