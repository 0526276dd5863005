import { create } from 'zustand';
import type { z } from 'zod';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { DiscoveryResultSchema } from '../../../../electron/contract/diagnostics';
import type { TlsMode } from '../../../../electron/contract/policy';
import { api } from '../../ratsdesk-api';

export type DiscoveredServers = NonNullable<z.output<typeof DiscoveryResultSchema>['servers']>;
export type DiscoveryAttempt = z.output<typeof DiscoveryResultSchema>['attempts'][number];

/** The mail server the administration preset by policy: then only user name and password are asked. */
export interface PresetServer {
  host: string;
  port: number;
  security: TlsMode;
}

type Step = 'loading' | 'email' | 'found' | 'manual' | 'preset';

interface OnboardingState {
  step: Step;
  email: string;
  discovered: DiscoveredServers | undefined;
  attempts: DiscoveryAttempt[];
  preset: PresetServer | undefined;
  searching: boolean;
  /** The person confirmed the servers outside the address's domain (discovered.foreignHosts). */
  foreignConfirmed: boolean;
  error: ErrorInfo | undefined;
  /** Reads the policy: a preset mail server skips discovery. */
  load(): Promise<void>;
  discover(email: string): Promise<void>;
  goTo(step: 'email' | 'manual'): void;
  confirmForeign(): void;
}

function entryValue(entries: Array<{ key: string; value: unknown; locked: boolean }>, key: string): unknown {
  return entries.find((e) => e.key === key)?.value;
}

export const useOnboarding = create<OnboardingState>((set, get) => ({
  step: 'loading',
  email: '',
  discovered: undefined,
  attempts: [],
  preset: undefined,
  searching: false,
  foreignConfirmed: false,
  error: undefined,

  async load() {
    if (get().step !== 'loading') return;
    const r = await api().policy.get();
    const entries = r.ok ? r.value.entries : [];
    const host = entryValue(entries, 'imapHost');
    const locked = entries.find((e) => e.key === 'imapHost')?.locked === true;
    if (locked && typeof host === 'string' && host) {
      set({
        step: 'preset',
        preset: {
          host,
          port: Number(entryValue(entries, 'imapPort') ?? 993),
          security: entryValue(entries, 'imapTls') === 'starttls' ? 'starttls' : 'tls',
        },
      });
    } else {
      set({ step: 'email' });
    }
  },

  async discover(email) {
    set({ email, searching: true, error: undefined, discovered: undefined, attempts: [], foreignConfirmed: false });
    const r = await api().diagnostics.discover({ email });
    if (!r.ok) {
      set({ searching: false, error: r.error });
      return;
    }
    const { servers, attempts } = r.value;
    if (servers) set({ searching: false, discovered: servers, attempts, step: 'found' });
    else set({ searching: false, attempts, error: { code: 'DISCOVERY_FAILED' } });
  },

  goTo(step) {
    set({ step, error: undefined });
  },

  confirmForeign() {
    set({ foreignConfirmed: true });
  },
}));
