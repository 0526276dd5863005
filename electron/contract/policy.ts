import { z } from 'zod';
import { call } from './define';

/**
 * The managed policy: ONE table of keys that is the single source of truth for validation, defaults,
 * the safe fallback of each key, the README reference table and build/policy-template.json.
 *
 * Every key is flat (a Windows registry value name, a JSON property) so that the same names work in
 * the registry, in policy.json and in the user's settings.
 */

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'a host name such as mail.stadt.de');
const port = z.number().int().min(1).max(65535);
const httpsUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'an https:// URL');
const httpsOrigin = httpsUrl.refine(
  (v) => new URL(v).origin === v.replace(/\/$/, ''),
  'an origin such as https://ris.stadt.de',
);
/** An http:// origin (scheme, host, port; nothing else), for servers the policy allows in clear. */
const httpOrigin = z
  .string()
  .trim()
  .max(300)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' && u.origin === v.replace(/\/$/, '') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'an http origin such as http://ris.stadt.de');
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a domain such as stadt.de');
const pemCertificate = z
  .string()
  .max(20_000)
  .regex(/^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*$/, 'one PEM certificate');

const ldapsUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      return new URL(v).protocol === 'ldaps:';
    } catch {
      return false;
    }
  }, 'an ldaps:// URL with the base DN as path, e.g. ldaps://verzeichnis.stadt.de/o=Stadt,c=DE');

/** How a mail connection is protected. There is deliberately no "none". */
export const TlsModeSchema = z.enum(['tls', 'starttls']);
export type TlsMode = z.infer<typeof TlsModeSchema>;

/** How a value is written in the Windows registry (HKLM\Software\Policies\Ratsdesk). */
export type RegistryType = 'REG_SZ' | 'REG_DWORD' | 'REG_MULTI_SZ';

export interface PolicyKeyDef<S extends z.ZodType> {
  readonly schema: S;
  /** Value when neither policy nor user sets the key. */
  readonly default: z.output<S>;
  /** Value used when the policy sets the key to something invalid (or the policy file cannot be read). */
  readonly safe: z.output<S>;
  /**
   * Who may set the key: `policy` — only the machine policy (keys that decide whom the app trusts: extra CAs,
   * the update server and channel, further council origins, the client certificate's issuer); a value in the
   * user's settings is ignored and reported. `policy-or-person` — the person may choose while the policy
   * is silent.
   */
  readonly setBy: 'policy' | 'policy-or-person';
  readonly group: 'mail' | 'council' | 'trust' | 'vault' | 'sharing' | 'lock' | 'desktop' | 'updates';
  readonly description: string;
  /** Why the safe value is the safe one, for the documentation. */
  readonly safeReason: string;
  readonly registry: RegistryType;
  /** An example value for build/policy-template.json. */
  readonly example: z.output<S>;
}

function key<S extends z.ZodType>(def: PolicyKeyDef<S>): PolicyKeyDef<S> {
  return def;
}

export const policyKeys = {
  imapHost: key({
    schema: host.nullable(),
    default: null,
    safe: null,
    setBy: 'policy-or-person',
    group: 'mail',
    description: 'IMAP server host name. When set, first-run asks only for user name and password.',
    safeReason: 'no server is preconfigured; the app shows the policy error and connects nowhere unintended',
    registry: 'REG_SZ',
    example: 'mail.stadt.de',
  }),
  imapPort: key({
    schema: port,
    default: 993,
    safe: 993,
    setBy: 'policy-or-person',
    group: 'mail',
    description: 'IMAP server port.',
    safeReason: 'the standard implicit-TLS port',
    registry: 'REG_DWORD',
    example: 993,
  }),
  imapTls: key({
    schema: TlsModeSchema,
    default: 'tls',
    safe: 'tls',
    setBy: 'policy-or-person',
    group: 'mail',
    description: 'IMAP transport security: `tls` (implicit TLS) or `starttls`. There is no unencrypted mode.',
    safeReason: 'implicit TLS never sends a byte in clear',
    registry: 'REG_SZ',
    example: 'tls',
  }),
  smtpHost: key({
    schema: host.nullable(),
    default: null,
    safe: null,
    setBy: 'policy-or-person',
    group: 'mail',
    description: 'SMTP (submission) server host name.',
    safeReason: 'no server is preconfigured',
    registry: 'REG_SZ',
    example: 'mail.stadt.de',
  }),
  smtpPort: key({
    schema: port,
    default: 465,
    safe: 465,
    setBy: 'policy-or-person',
    group: 'mail',
    description: 'SMTP submission port (465 implicit TLS, 587 STARTTLS).',
    safeReason: 'the standard implicit-TLS submission port',
    registry: 'REG_DWORD',
    example: 465,
  }),
  smtpTls: key({
    schema: TlsModeSchema,
    default: 'tls',
    safe: 'tls',
    setBy: 'policy-or-person',
    group: 'mail',
    description: 'SMTP transport security: `tls` or `starttls`.',
    safeReason: 'implicit TLS never sends a byte in clear',
    registry: 'REG_SZ',
    example: 'tls',
  }),
  oparlSystemUrl: key({
    schema: httpsUrl.nullable(),
    default: null,
    safe: null,
    setBy: 'policy-or-person',
    group: 'council',
    description: 'OParl system URL of the council information system (https only).',
    safeReason: 'no council system is preconfigured',
    registry: 'REG_SZ',
    example: 'https://ris.stadt.de/oparl/v1.1/system',
  }),
  risBaseUrl: key({
    schema: httpsUrl.nullable(),
    default: null,
    safe: null,
    setBy: 'policy-or-person',
    group: 'council',
    description: 'Base URL of the council information system web pages, for systems without OParl.',
    safeReason: 'no council system is preconfigured',
    registry: 'REG_SZ',
    example: 'https://ris.stadt.de/',
  }),
  risAllowedOrigins: key({
    schema: z.array(httpsOrigin).max(50),
    default: [],
    safe: [],
    setBy: 'policy',
    group: 'council',
    description: 'Further https origins the council system may load documents from (e.g. a document server).',
    safeReason: 'no further origin is allowed',
    registry: 'REG_MULTI_SZ',
    example: ['https://dokumente.stadt.de'],
  }),
  risInsecureHttpOrigins: key({
    schema: z.array(httpOrigin).max(20),
    default: [],
    safe: [],
    // It lowers protection: another process writing the user's settings must not be able to set it.
    setBy: 'policy',
    group: 'council',
    description:
      'http origins of the council system that Ratsdesk may read unencrypted, for systems that answer only over http. Ratsdesk always tries https first; data that came over http is marked "unverschlüsselt übertragen", and credentials or cookies are never sent there.',
    safeReason: 'nothing is read unencrypted',
    registry: 'REG_MULTI_SZ',
    example: [],
  }),
  risClientCertificateIssuer: key({
    schema: z.string().trim().min(1).max(500).nullable(),
    default: null,
    safe: null,
    setBy: 'policy',
    group: 'council',
    description:
      'Issuer (common name) of the client certificate the council system asks for. When set, a council page on an origin this policy names presents the one valid certificate of that issuer without asking (several: the person chooses among them; none: no certificate). Not set: the person chooses each time, or none.',
    safeReason: 'no certificate is chosen without asking',
    registry: 'REG_SZ',
    example: 'Stadt Musterstadt Issuing CA',
  }),
  extraCaCertificates: key({
    schema: z.array(pemCertificate).max(20),
    default: [],
    safe: [],
    setBy: 'policy',
    group: 'trust',
    description:
      'Extra trusted CA certificates (PEM) of an internal PKI, added to the system roots for mail and council connections. In the registry: REG_MULTI_SZ with the PEM lines.',
    safeReason: 'nothing beyond the system roots is trusted',
    registry: 'REG_MULTI_SZ',
    example: [],
  }),
  smimeTrustAnchors: key({
    schema: z.array(pemCertificate).max(50),
    default: [],
    safe: [],
    setBy: 'policy',
    group: 'trust',
    description:
      'CA certificates (PEM) that S/MIME signatures may chain to besides the system roots, e.g. the Verwaltungs-PKI or DFN-PKI roots. In the registry: REG_MULTI_SZ with the PEM lines.',
    safeReason: 'only the system roots are trusted for signatures',
    registry: 'REG_MULTI_SZ',
    example: [],
  }),
  smimeDirectoryUrl: key({
    schema: ldapsUrl.nullable(),
    default: null,
    safe: null,
    setBy: 'policy',
    group: 'mail',
    description:
      'LDAP directory (ldaps:// only, base DN as path) where recipients’ S/MIME certificates are looked up by `mail`, anonymously. Its TLS certificate must chain to the system roots or `extraCaCertificates`.',
    safeReason: 'no directory is asked',
    registry: 'REG_SZ',
    example: 'ldaps://verzeichnis.stadt.de/o=Stadt%20Beispiel,c=DE',
  }),
  smimeSigning: key({
    schema: z.enum(['off', 'default', 'mandatory']),
    default: 'off',
    safe: 'default',
    setBy: 'policy-or-person',
    group: 'mail',
    description:
      'S/MIME signing of new mail: `off` (the person chooses), `default` (switched on, may be switched off) or `mandatory` (every mail is signed; without an own certificate nothing is sent).',
    safeReason: 'signing is on and can still be switched off, so mail can always be sent',
    registry: 'REG_SZ',
    example: 'default',
  }),
  smimeSearchDecrypted: key({
    schema: z.boolean(),
    default: true,
    safe: false,
    setBy: 'policy-or-person',
    group: 'vault',
    description:
      'Whether the text of encrypted S/MIME mail is added to the search index inside the encrypted vault. The decrypted text is never written anywhere else. REG_DWORD 0/1.',
    safeReason: 'decrypted text stays out of the index',
    registry: 'REG_DWORD',
    example: true,
  }),
  internalImageHosts: key({
    schema: z.array(host).max(50),
    default: [],
    safe: [],
    setBy: 'policy',
    group: 'trust',
    description:
      'Host names (or IP addresses) of internal servers whose images a mail may show once the person allowed remote content for that message, although they resolve to internal addresses (loopback, private, link-local, CGNAT, unique local). Every other image host must resolve to public addresses only. Matched exactly, without case.',
    safeReason: 'no mail can make the app connect to an internal address',
    registry: 'REG_MULTI_SZ',
    example: ['bilder.intranet.stadt.de'],
  }),
  vaultQuotaMb: key({
    schema: z.number().int().min(100).max(102_400),
    default: 2048,
    safe: 1024,
    setBy: 'policy-or-person',
    group: 'vault',
    description: 'Maximum size of the encrypted local cache (mail and documents) in MB (100–102400).',
    safeReason: 'a smaller cache keeps less data on the laptop',
    registry: 'REG_DWORD',
    example: 2048,
  }),
  vaultRetentionDays: key({
    schema: z.number().int().min(1).max(3650),
    default: 365,
    safe: 30,
    setBy: 'policy-or-person',
    group: 'vault',
    description: 'Days a cached document stays in the encrypted cache after it was last opened (1–3650).',
    safeReason: 'a short retention keeps less data on the laptop',
    registry: 'REG_DWORD',
    example: 365,
  }),
  offlineMailDays: key({
    schema: z.number().int().min(0).max(3650).nullable(),
    default: null,
    safe: 30,
    setBy: 'policy-or-person',
    group: 'vault',
    description:
      'Days of mail whose bodies are kept in the encrypted cache for offline reading (0 = headers only, up to 3650; not set = all mail). Older bodies leave the cache (at start and every 6 hours); their headers stay listed and searchable, and online, opening one fetches its body for that reading only. A changed value applies from the next start of the mail session.',
    safeReason: 'a short period keeps less mail on the laptop',
    registry: 'REG_DWORD',
    example: 90,
  }),
  meetingReminderMinutes: key({
    schema: z.number().int().min(5).max(1440).nullable(),
    default: null,
    safe: null,
    setBy: 'policy-or-person',
    group: 'council',
    description:
      'Minutes before a meeting of the person’s bodies (“Meine Gremien”) when a desktop notification reminds of it (5–1440). Not set: no reminders. While the app is locked the notification names only the time, not the meeting.',
    safeReason: 'no reminders',
    registry: 'REG_DWORD',
    example: 30,
  }),
  offlinePackDays: key({
    schema: z.number().int().min(0).max(90),
    default: 14,
    safe: 7,
    setBy: 'policy-or-person',
    group: 'council',
    description:
      'Days ahead for which the meetings of the person’s bodies (“Meine Gremien”) are made available offline in the background: the files of each meeting and of the papers on its agenda go checksum-verified into the encrypted cache, at most 3 requests at a time, paused while offline or locked (0 = off, up to 90). Only when bodies are chosen. A meeting’s files stay pinned until 30 days after it ended; then the cache’s retention rule (vaultRetentionDays) applies.',
    safeReason: 'a short window keeps fewer council documents on the laptop',
    registry: 'REG_DWORD',
    example: 14,
  }),
  documentExportAllowed: key({
    schema: z.boolean(),
    default: true,
    safe: false,
    setBy: 'policy-or-person',
    group: 'sharing',
    description: 'Whether documents may be saved outside the encrypted cache (export, save as). REG_DWORD 0/1.',
    safeReason: 'export is forbidden',
    registry: 'REG_DWORD',
    example: false,
  }),
  recipientDomainsAllowed: key({
    schema: z.array(domain).max(200).nullable(),
    default: null,
    safe: [],
    setBy: 'policy-or-person',
    group: 'sharing',
    description:
      'Recipient domains (to, cc and bcc) that need no confirmation, matched exactly (list subdomains one by one). Not set: no check. Recipients outside the list get `recipientOutsideAction`; checked when sending, also for mail written offline.',
    safeReason: 'an empty list: every recipient counts as outside',
    registry: 'REG_MULTI_SZ',
    example: ['stadt.de', 'rat.stadt.de'],
  }),
  recipientOutsideAction: key({
    schema: z.enum(['warn', 'block']),
    default: 'warn',
    safe: 'block',
    setBy: 'policy-or-person',
    group: 'sharing',
    description:
      'What happens when a recipient is outside `recipientDomainsAllowed`: `warn` (the person confirms the named recipients before sending) or `block` (not sent).',
    safeReason: 'sending outside is blocked',
    registry: 'REG_SZ',
    example: 'warn',
  }),
  forwardingOutsideAllowed: key({
    schema: z.boolean(),
    default: true,
    safe: false,
    setBy: 'policy-or-person',
    group: 'sharing',
    description:
      'Whether mail may be forwarded (started as a forward, or carrying parts of a received message) to recipients outside `recipientDomainsAllowed`; with 0 such a forward is not sent whatever `recipientOutsideAction` says. REG_DWORD 0/1.',
    safeReason: 'forwarding outside is forbidden',
    registry: 'REG_DWORD',
    example: false,
  }),
  idleLockMinutes: key({
    schema: z.number().int().min(1).max(240),
    default: 15,
    safe: 5,
    setBy: 'policy-or-person',
    group: 'lock',
    description: 'Minutes without input after which the app locks (1–240).',
    safeReason: 'lock after 5 minutes',
    registry: 'REG_DWORD',
    example: 10,
  }),
  printAllowed: key({
    schema: z.boolean(),
    default: true,
    safe: false,
    setBy: 'policy-or-person',
    group: 'sharing',
    description:
      'Whether mail and documents may be printed. With 0 there is no print path at all: no menu item, no shortcut, no print button in the viewer, and the print call is refused. REG_DWORD 0/1.',
    safeReason: 'printing is forbidden',
    registry: 'REG_DWORD',
    example: true,
  }),
  screenCaptureProtection: key({
    schema: z.boolean(),
    default: false,
    safe: true,
    setBy: 'policy-or-person',
    group: 'desktop',
    description:
      'Whether every window of the app is protected from screenshots, screen recording and screen sharing (Windows 10 2004+ and macOS; the window shows black or empty in the capture; Linux has no such protection). Applies from the next start. REG_DWORD 0/1.',
    safeReason: 'windows are protected from capture',
    registry: 'REG_DWORD',
    example: false,
  }),
  unreadBadge: key({
    schema: z.boolean(),
    default: true,
    safe: false,
    setBy: 'policy-or-person',
    group: 'desktop',
    description:
      'Whether the number of unread messages in the inbox is shown on the app icon (macOS dock and Linux launcher badge, Windows taskbar overlay). REG_DWORD 0/1.',
    safeReason: 'no count on the app icon',
    registry: 'REG_DWORD',
    example: true,
  }),
  spellcheckDictionaryUrl: key({
    schema: httpsUrl.nullable(),
    default: null,
    safe: null,
    setBy: 'policy',
    group: 'desktop',
    description:
      'https folder where your IT hosts the Hunspell dictionaries of the Electron release (the files of its hunspell_dictionaries.zip), for spell checking in the compose window on Linux (and on Windows for languages Windows lacks). Not set: no spell checking on Linux; macOS and Windows use their own spell checker. Dictionaries are never fetched from a third-party server.',
    safeReason: 'no dictionary download: no spell checking on Linux',
    registry: 'REG_SZ',
    example: 'https://software.stadt.de/ratsdesk/dictionaries/',
  }),
  autoUpdateEnabled: key({
    schema: z.boolean(),
    default: true,
    safe: false,
    setBy: 'policy-or-person',
    group: 'updates',
    description:
      'Whether the app looks for and installs signed updates itself. Checked at each start against `updateUrl`; always off for MSI installs (IT ships new MSIs) and never a downgrade. REG_DWORD 0/1.',
    safeReason: 'no automatic update; IT ships updates',
    registry: 'REG_DWORD',
    example: true,
  }),
  updateChannel: key({
    schema: z.enum(['stable', 'beta']),
    default: 'stable',
    safe: 'stable',
    setBy: 'policy',
    group: 'updates',
    description: 'Update channel: `stable` (latest.yml) or `beta` (beta.yml, pre-releases allowed).',
    safeReason: 'the stable channel',
    registry: 'REG_SZ',
    example: 'stable',
  }),
  updateUrl: key({
    schema: httpsUrl.nullable(),
    default: 'https://updates.ratsdesk.de/',
    safe: null,
    setBy: 'policy',
    group: 'updates',
    description:
      'https base URL of the update server (electron-builder "generic" layout, e.g. an internal mirror). Not set: no automatic updates.',
    safeReason: 'no update server: updates are off',
    registry: 'REG_SZ',
    example: 'https://software.stadt.de/ratsdesk/',
  }),
} as const;

export type PolicyKey = keyof typeof policyKeys;

/**
 * Keys the schema accepts (so IT can roll out one policy file now) but that no service applies yet. The
 * settings screen hides them: a control that changes nothing would mislead. Remove a key from here in the
 * change that makes a service honour it.
 */
export const policyKeysNotYetEnforced: readonly PolicyKey[] = [];
export const policyKeyNames = Object.keys(policyKeys) as PolicyKey[];
export type PolicyValues = { [K in PolicyKey]: z.output<(typeof policyKeys)[K]['schema']> };

/** The whole policy object: every key optional, unknown keys rejected. Used for policy.json and user settings. */
export const PolicyFileSchema = z
  .object(
    Object.fromEntries(policyKeyNames.map((k) => [k, policyKeys[k].schema.optional()])) as {
      [K in PolicyKey]: z.ZodOptional<(typeof policyKeys)[K]['schema']>;
    },
  )
  .strict();
export type PolicyFile = z.infer<typeof PolicyFileSchema>;

export const PolicyValueSourceSchema = z.enum(['policy', 'policy-invalid', 'user', 'default']);
export type PolicyValueSource = z.infer<typeof PolicyValueSourceSchema>;

export const PolicyProblemSchema = z.enum([
  'unreadable',
  'bad-json',
  'not-an-object',
  'unknown-key',
  'wrong-type',
  'out-of-range',
  'invalid-value',
  'policy-only',
]);
export type PolicyProblem = z.infer<typeof PolicyProblemSchema>;

export const PolicyIssueSchema = z.object({
  /** The policy file or registry key the problem is in. */
  source: z.string(),
  /** The key concerned, or null when the whole source is unreadable. */
  key: z.string().nullable(),
  problem: PolicyProblemSchema,
  /** One English sentence naming source and key, for logs and the helpdesk. */
  message: z.string(),
  /** True when policy was at fault: the key (or all keys) then use the documented safe value and are locked. */
  fromPolicy: z.boolean(),
});
export type PolicyIssue = z.infer<typeof PolicyIssueSchema>;

export const PolicyEntrySchema = z.object({
  key: z.string(),
  value: z.unknown(),
  source: PolicyValueSourceSchema,
  /**
   * The person cannot change it: set by the administration, or a key only the machine policy may set (then
   * `source` is 'default' while the policy is silent).
   */
  locked: z.boolean(),
});
export type PolicyEntry = z.infer<typeof PolicyEntrySchema>;

export const EffectivePolicySchema = z.object({
  entries: z.array(PolicyEntrySchema),
  issues: z.array(PolicyIssueSchema),
  /** Where machine policy was looked for (a file path or a registry key). */
  machineSource: z.string(),
  managed: z.boolean(),
});
export type EffectivePolicyInfo = z.infer<typeof EffectivePolicySchema>;

/** IPC calls for a future `policy` domain (not wired into contract/index.ts yet). */
export const policy = {
  /** The effective policy with the lock state and any policy problems. */
  get: call(z.void(), EffectivePolicySchema),
  /** Change a user setting; fails with POLICY_LOCKED when the administration set the key. */
  setUserValue: call(z.object({ key: z.string(), value: z.unknown() }), EffectivePolicySchema),
};
