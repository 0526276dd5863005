import { create } from 'zustand';
import type { z } from 'zod';
import type { DoctorResultSchema } from '../../../../electron/contract/diagnostics';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { EffectivePolicyInfo } from '../../../../electron/contract/policy';
import { api } from '../../ratsdesk-api';

export type DoctorResult = z.output<typeof DoctorResultSchema>;

interface SettingsState {
  policy: EffectivePolicyInfo | undefined;
  /** The key whose change is being saved, and the outcome of the last change. */
  saving: string | undefined;
  saved: string | undefined;
  error: { key: string; error: ErrorInfo } | undefined;
  loadError: ErrorInfo | undefined;
  doctor: DoctorResult | undefined;
  doctorRunning: boolean;
  doctorError: ErrorInfo | undefined;
  load(): Promise<void>;
  set(key: string, value: unknown): Promise<void>;
  runDoctor(): Promise<void>;
}

export const useSettings = create<SettingsState>((set) => ({
  policy: undefined,
  saving: undefined,
  saved: undefined,
  error: undefined,
  loadError: undefined,
  doctor: undefined,
  doctorRunning: false,
  doctorError: undefined,

  async load() {
    const r = await api().policy.get();
    if (r.ok) set({ policy: r.value, loadError: undefined });
    else set({ loadError: r.error });
  },

  async set(key, value) {
    set({ saving: key, saved: undefined, error: undefined });
    const r = await api().policy.setUserValue({ key, value });
    if (r.ok) set({ policy: r.value, saving: undefined, saved: key });
    else set({ saving: undefined, error: { key, error: r.error } });
  },

  async runDoctor() {
    set({ doctorRunning: true, doctorError: undefined });
    const r = await api().diagnostics.run();
    if (r.ok) set({ doctor: r.value, doctorRunning: false });
    else set({ doctorRunning: false, doctorError: r.error });
  },
}));
