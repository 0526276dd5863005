import type { TlsMode } from '../../contract/policy';

/** One mail server found by discovery. Only TLS and STARTTLS endpoints are ever returned. */
export interface DiscoveredEndpoint {
  host: string;
  port: number;
  tls: TlsMode;
  /** The login name for this address (autoconfig's %EMAILADDRESS% etc. already filled in). */
  username: string;
}

export type DiscoveryMethod = 'autoconfig' | 'autoconfig-well-known' | 'srv';

export interface DiscoveredServers {
  method: DiscoveryMethod;
  /** Where it came from: the autoconfig URL or the SRV names. */
  origin: string;
  imap: DiscoveredEndpoint;
  smtp: DiscoveredEndpoint | null;
  /** The e-mail address's domain (lower case). */
  domain: string;
  /**
   * Hosts found that lie outside that domain and are no policy preset (RFC 6186 §6): the person is warned,
   * names and domain shown, and must confirm before the password goes there.
   */
  foreignHosts: string[];
}

/** What each discovery attempt did, for the onboarding screen and the doctor report. */
export interface DiscoveryAttempt {
  method: DiscoveryMethod;
  target: string;
  outcome: 'found' | 'not-found' | 'error';
  detail?: string;
}
