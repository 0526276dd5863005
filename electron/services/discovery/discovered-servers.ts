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
}

/** What each discovery attempt did, for the onboarding screen and the doctor report. */
export interface DiscoveryAttempt {
  method: DiscoveryMethod;
  target: string;
  outcome: 'found' | 'not-found' | 'error';
  detail?: string;
}
