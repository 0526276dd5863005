import type { Messages } from './de';

export const en: Messages = {
  app: {
    title: 'Ratsdesk',
    language: 'Language',
    skipToContent: 'Skip to content',
    areas: 'Areas',
    areaLoading: 'Loading area …',
    areaLoadFailed: 'The area could not be loaded.',
    areaRetry: 'Try again',
  },
  account: {
    heading: 'Connect your work mailbox',
    intro: 'Enter your mail server details. The password is kept in the operating system keychain, never in a file.',
    host: 'Mail server (IMAP)',
    port: 'Port',
    security: 'Encryption',
    username: 'User name',
    password: 'Password',
    connect: 'Connect',
    connecting: 'Connecting …',
    restoring: 'Connecting with the saved account …',
  },
  dateField: {
    day: 'DD',
    month: 'MM',
    year: 'YYYY',
    invalid: 'Not a valid date. Please enter it as {{pattern}}.',
  },
  errors: {
    AUTH_FAILED: 'The user name or password is wrong. Please check what you entered; your IT can help if needed.',
    TLS_CERT_UNTRUSTED:
      'The server certificate is not trusted. The connection was not made, to protect you. Please contact your IT.',
    TLS_NOT_OFFERED:
      'The server offers no encrypted connection. Ratsdesk only connects encrypted. Check port and encryption or ask your IT.',
    CONNECTION_REFUSED: 'The server does not accept connections on this port. Check the server name and port.',
    HOST_NOT_FOUND: 'The server name was not found. Check the spelling and your internet connection.',
    TIMEOUT: 'The server does not answer. Check your internet connection and try again later.',
    SERVER_ERROR: 'The server refused the request. Try again later or contact your IT.',
    KEYCHAIN_UNAVAILABLE: 'The operating system keychain is unavailable or locked. Unlock it and try again.',
    NO_ACCOUNT: 'No account has been set up yet.',
    NOT_CONNECTED: 'Not connected to the server. Please connect again.',
    INVALID_INPUT: 'The input is incomplete or invalid. Please check the fields.',
    IPC_SENDER_REJECTED: 'This request did not come from Ratsdesk itself and was refused.',
    VAULT_KEY_MISSING:
      'The key for your local data is missing from the keychain. You can remove the local data and sync again.',
    VAULT_UNREADABLE:
      'The local data cannot be read (wrong key or damaged file). You can remove the local data and sync again.',
    VAULT_DISK_FULL: 'The disk is full. Data already stored is kept; please free some space.',
    DOCUMENT_CHECKSUM_MISMATCH: 'The document arrived damaged (checksum mismatch) and was not stored.',
    DOCUMENT_TRUNCATED: 'The document arrived incomplete and was not stored.',
    DOCUMENT_NOT_FOUND: 'The document is no longer in local storage.',
    DOCUMENT_TOO_LARGE: 'The document is larger than the available storage.',
    EXPORT_FORBIDDEN: 'Saving documents outside Ratsdesk is not allowed by your IT.',
    PRINT_FORBIDDEN: 'Printing is not allowed by your IT.',
    SAVE_NAME_TOO_LONG: 'The file was not saved: the name is too long for this location. Choose a shorter name.',
    SAVE_DISK_FULL: 'The file was not saved: the disk is full. Please free some space.',
    SAVE_NOT_PERMITTED: 'The file was not saved: you may not write to this folder. Choose another location.',
    SAVE_FAILED: 'The file was not saved: the location refused the write. Choose another location.',
    RECIPIENT_OUTSIDE_BLOCKED:
      'At least one recipient is outside the addresses your administration allows. Your IT does not allow sending there; the message was not sent.',
    RECIPIENT_OUTSIDE_CONFIRM:
      'At least one recipient is outside your administration. Please confirm the recipients before the message is sent.',
    FORWARD_OUTSIDE_BLOCKED:
      'Forwarding messages to recipients outside your administration is not allowed by your IT; the message was not sent.',
    CALENDAR_UNREADABLE:
      'The calendar data (iCalendar, .ics) is damaged or incomplete and cannot be read. Ask the sender to send the invitation again.',
    CALENDAR_TOO_LARGE:
      'The calendar data is too large or too deeply nested and was not read, to protect your device. Import the events in smaller parts.',
    CALENDAR_NOT_AN_INVITATION:
      'This message holds no invitation you can answer (for example your own invitation, or only a notice of an event).',
    INTERNAL: 'An unexpected error occurred. Please try again; if it persists, your IT can help.',
    RIS_INVALID_JSON:
      'The council information system sent an unreadable answer. This item cannot be shown right now; everything else keeps working.',
    RIS_WRONG_TYPE:
      'The council information system delivered a different kind of object than expected here. It was not taken over.',
    RIS_INVALID_OBJECT: 'An entry of the council information system is incomplete or faulty and was skipped.',
    RIS_RESPONSE_TOO_LARGE:
      'The answer of the council information system is unusually large and was stopped for safety.',
    RIS_PAGING_LOOP: 'The council information system pages in a circle. Loading stopped; what was loaded is kept.',
    RIS_REDIRECT_REJECTED:
      'The council information system redirected to a foreign or unencrypted address. The redirect was not followed.',
    RIS_HTTP_ERROR: 'The council information system answered with an error. Try again later.',
    RIS_NOT_HTTPS: 'This council information system address is not encrypted (no https) and is not opened.',
    RIS_NOT_PDF: 'The file claims to be a PDF but is not one. It was not stored.',
    RIS_TIMEOUT: 'The council information system does not answer in time. Try again later.',
    RIS_NOT_CONFIGURED: 'No council information system is set up yet. Your IT can configure it.',
    MAIL_UNPARSEABLE: 'This message is malformed. Its headers and raw source are shown.',
    MAIL_PART_NOT_FOUND: 'This part of the message (an attachment, for example) is no longer there.',
    SMTP_AUTH_FAILED: 'The outgoing mail server refused the login. Check user name and password.',
    SMTP_RECIPIENT_REJECTED: 'The server refused at least one recipient. Check the addresses.',
    SMTP_MESSAGE_REJECTED: 'The server refused the message. It stays in the outbox.',
    SMTP_MESSAGE_TOO_LARGE: 'The message is too large for the server. Remove attachments or link documents instead.',
    SMTP_TEMPORARY_FAILURE:
      'The outgoing mail server is temporarily unavailable. The message stays in the outbox and is sent later.',
    OUTBOX_ITEM_NOT_FOUND: 'This message is no longer in the outbox.',
    DRAFT_NOT_FOUND: 'This draft no longer exists.',
    POLICY_LOCKED: 'This setting is set by your IT department and cannot be changed here.',
    DISCOVERY_FAILED:
      'The server settings for this address could not be found automatically. Please enter them by hand.',
    UNKNOWN: 'An error occurred (code {{code}}).',
  },
};
