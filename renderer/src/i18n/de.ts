export const de = {
  app: { title: 'Ratsdesk', language: 'Sprache', skipToContent: 'Zum Inhalt springen' },
  account: {
    heading: 'Dienstliches Postfach verbinden',
    intro:
      'Geben Sie die Daten Ihres Mailservers ein. Das Passwort wird im Schlüsselbund des Betriebssystems gespeichert, nie in einer Datei.',
    host: 'Mailserver (IMAP)',
    port: 'Port',
    security: 'Verschlüsselung',
    securityTls: 'TLS (empfohlen, Port 993)',
    securityStarttls: 'STARTTLS (Port 143)',
    username: 'Benutzername',
    password: 'Passwort',
    connect: 'Verbinden',
    connecting: 'Verbinde …',
    restoring: 'Verbinde mit dem gespeicherten Konto …',
    signOut: 'Konto entfernen',
  },
  mail: {
    inbox: 'Posteingang',
    folders: 'Ordner',
    messages: 'Nachrichten',
    from: 'Absender',
    subject: 'Betreff',
    date: 'Datum',
    unread: 'ungelesen',
    read: 'gelesen',
    noSubject: '(kein Betreff)',
    empty: 'Dieser Ordner ist leer.',
    count_one: '{{count}} Nachricht',
    count_other: '{{count}} Nachrichten',
  },
  folders: {
    inbox: 'Posteingang',
    sent: 'Gesendet',
    drafts: 'Entwürfe',
    trash: 'Papierkorb',
    junk: 'Spam',
    archive: 'Archiv',
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
    INTERNAL: 'Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut; bleibt er, hilft Ihre IT.',
    UNKNOWN: 'Ein Fehler ist aufgetreten (Code {{code}}).',
  },
};
export type Messages = typeof de;
