import { solidPng } from './png-image';

/**
 * The mails of the reading-fidelity and inbox-outage tests (issue #19, issue #10 item 3), written here byte
 * by byte because each one is broken or hostile in one exact way that a MIME builder would repair. CRLF line
 * ends, as a mail server stores them. Unit, integration and end-to-end tests read the same mails.
 */

const CRLF = '\r\n';
export const OWN_ADDRESS = 'anna@stadt.example';

function head(
  subject: string,
  id: string,
  extra: string[] = [],
  from = 'Ratsbüro <ratsbuero@stadt.example>',
): string[] {
  return [
    `From: ${from}`,
    `To: Anna Schöne <${OWN_ADDRESS}>`,
    `Subject: ${subject}`,
    'Date: Tue, 03 Mar 2026 10:00:00 +0100',
    `Message-ID: <${id}@stadt.example>`,
    'MIME-Version: 1.0',
    ...extra,
  ];
}

function base64Lines(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/.{76}/g, `$&${CRLF}`).trimEnd();
}

/** Item 1: a multipart whose boundary parameter is missing, empty, or never used in the body. */
export function brokenBoundaryMail(kind: 'missing' | 'empty' | 'unused'): string {
  const type = {
    missing: 'Content-Type: multipart/mixed',
    empty: 'Content-Type: multipart/mixed; boundary=""',
    unused: 'Content-Type: multipart/mixed; boundary="nie-benutzt"',
  }[kind];
  return [
    ...head(`Niederschrift (Grenze ${kind})`, `boundary-${kind}`, [type]),
    '',
    '--grenze',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Die Niederschrift der Sitzung vom 2. März liegt im Ratsbüro aus.',
    '--grenze--',
    '',
  ].join(CRLF);
}

/** Item 1: a chain of messages attached to messages, `depth` deep, the text at the bottom. */
export function nestedChainMail(depth: number): string {
  let inner = ['Content-Type: text/plain; charset=utf-8', '', 'Ganz unten: die Antwort des Bauamts.', ''].join(CRLF);
  for (let i = depth; i > 0; i--) {
    inner = [
      'Content-Type: message/rfc822',
      '',
      `From: Ebene ${i} <ebene${i}@stadt.example>`,
      `Subject: Weitergeleitet (Ebene ${i})`,
      inner,
    ].join(CRLF);
  }
  return [...head('Kette weitergeleiteter Nachrichten', `chain-${depth}`), inner].join(CRLF);
}

export const INLINE_LOGO = solidPng(60, 24, [0, 90, 170]);
export const INLINE_SCAN = solidPng(40, 40, [200, 30, 30]);

/**
 * Item 2: HTML that embeds its images as related parts: a logo (Content-ID in angle brackets), a scanned
 * page named percent-encoded in the HTML (RFC 2392), an SVG (never shown inline: it could carry script), a
 * "PNG" whose bytes are not an image, and a picture no `cid:` names (an attachment like any other).
 */
export function inlineImagesMail(): string {
  const html =
    '<html><body><p>Sehr geehrte Frau Schöne,</p>' +
    '<p><img src="cid:logo@stadt.example" alt="Wappen" width="60" height="24"></p>' +
    '<p>anbei die gescannte Seite:</p><p><img src="cid:scan%2B1@stadt.example" alt="Scan" width="40" height="40"></p>' +
    '<p><img src="cid:zeichen@stadt.example" alt="Zeichen"> <img src="cid:kaputt@stadt.example" alt="Kaputt"></p>' +
    '<p>Mit freundlichen Grüßen</p></body></html>';
  const part = (type: string, cid: string | null, name: string, bytes: Uint8Array, disposition = 'inline') => [
    '--rel',
    `Content-Type: ${type}; name="${name}"`,
    ...(cid ? [`Content-ID: <${cid}>`] : []),
    `Content-Disposition: ${disposition}; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(bytes),
  ];
  return [
    ...head('Mit Wappen und Scan', 'inline-images', ['Content-Type: multipart/related; boundary="rel"']),
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    html,
    ...part('image/png', 'logo@stadt.example', 'wappen.png', INLINE_LOGO),
    ...part('image/png', 'scan+1@stadt.example', 'scan.png', INLINE_SCAN),
    ...part(
      'image/svg+xml',
      'zeichen@stadt.example',
      'zeichen.svg',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ),
    ...part('image/png', 'kaputt@stadt.example', 'kaputt.png', Buffer.from('kein Bild, nur Text')),
    ...part('image/png', 'foto@stadt.example', 'foto.png', INLINE_LOGO, 'attachment'),
    '--rel--',
    '',
  ].join(CRLF);
}

/**
 * Item 3: two Subject headers (a server's envelope and a parser may pick different ones) and a sender name in
 * raw 8-bit Latin-1 (not valid UTF-8).
 */
export function twoSubjectsMail(): Buffer {
  const lines = [
    'From: Stadtk\xe4mmerei M\xfcller <kaemmerei@stadt.example>',
    `To: ${OWN_ADDRESS}`,
    'Subject: Haushaltssatzung 2027',
    'Subject: Bitte sofort zahlen',
    'Date: Tue, 03 Mar 2026 11:00:00 +0100',
    'Message-ID: <two-subjects@stadt.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Der Entwurf der Haushaltssatzung liegt bei der K\xe4mmerei.',
    '',
  ];
  return Buffer.from(lines.join(CRLF), 'latin1');
}

/** Item 4: a display name that is an address, not the sender's. */
export function spoofedNameMail(): string {
  return [
    ...head('Dringend: Zugangsdaten bestätigen', 'spoofed', [], '"ratsbuero@stadt.example" <attacker@evil.example>'),
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bitte bestätigen Sie Ihre Zugangsdaten.',
    '',
  ].join(CRLF);
}

/** Item 5: bidi overrides in the subject, the sender's name and an attachment name. */
export const BIDI_SUBJECT = 'Protokoll (\u202Efdp.exe\u202C) \u2066Beschluss\u2069';
export function bidiMail(): string {
  return [
    ...head(
      `=?utf-8?B?${Buffer.from(BIDI_SUBJECT).toString('base64')}?=`,
      'bidi',
      ['Content-Type: multipart/mixed; boundary="b"'],
      `=?utf-8?B?${Buffer.from('Amt \u202Eredlaw').toString('base64')}?= <amt@stadt.example>`,
    ),
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Das Protokoll liegt bei.',
    '--b',
    `Content-Type: application/octet-stream; name*=utf-8''Vorlage%E2%80%AEfdp.exe`,
    `Content-Disposition: attachment; filename*=utf-8''Vorlage%E2%80%AEfdp.exe`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from('MZ')),
    '--b--',
    '',
  ].join(CRLF);
}

/** Item 9: an invitation whose calendar part has no name (Outlook sends them so). */
export function calendarMail(alone = false): string {
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'UID:sitzung-1',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  if (alone) {
    return [
      ...head('Sitzung (nur Kalender)', 'calendar-alone', [
        'Content-Type: text/calendar; method=REQUEST; charset=utf-8',
      ]),
      '',
      ...ics,
      '',
    ].join(CRLF);
  }
  return [
    ...head('Einladung: Hauptausschuss', 'calendar', ['Content-Type: multipart/alternative; boundary="alt"']),
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Einladung zur Sitzung des Hauptausschusses.',
    '--alt',
    'Content-Type: text/calendar; method=REQUEST; charset=utf-8',
    '',
    ...ics,
    '--alt--',
    '',
  ].join(CRLF);
}

/** Issue #10 item 3: a subject of `bytes` bytes (any sender can send one), as one folded header. */
export function hugeSubjectMail(bytes: number): string {
  const words = 'Sehr wichtige Angelegenheit '.repeat(Math.ceil(bytes / 28)).slice(0, bytes);
  const folded = words.replace(/(.{0,900}) /g, `$1${CRLF} `).trimEnd();
  return [...head(folded, 'huge-subject'), 'Content-Type: text/plain; charset=utf-8', '', 'Kurzer Text.', ''].join(
    CRLF,
  );
}

/** A plain text mail with links of every kind (item 8): only https and mailto are offered. */
export function plainLinksMail(): string {
  return [
    ...head('Links im Text', 'plain-links'),
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Tagesordnung: https://ratsinfo.stadt.example/to/4711',
    'Alt: http://ratsinfo.stadt.example/to/4711',
    'Router: https://192.168.1.1/admin und https://127.0.0.1:8443/x und https://localhost/y',
    'Fragen an mailto:ratsbuero@stadt.example',
    '',
  ].join(CRLF);
}
