import { readFile } from 'node:fs/promises';
import { RatsdeskError } from '../../contract/errors';
import { policyKeys, type PolicyKey } from '../../contract/policy';
import { writeJsonAtomically } from '../files/atomic-json';
import { readMachinePolicy, type MachinePolicyOptions } from './machine-policy-source';
import { resolvePolicy, type EffectivePolicy } from './policy-resolver';

export interface PolicyServiceOptions extends MachinePolicyOptions {
  /** The user's settings file (JSON object of policy keys) in the per-user data folder. */
  userSettingsFile: string;
}

/**
 * Loads the effective policy (machine policy, then user settings, then defaults) and changes user
 * settings where the administration has not locked them.
 */
export class PolicyService {
  private current: EffectivePolicy | undefined;

  constructor(private readonly options: PolicyServiceOptions) {}

  async load(): Promise<EffectivePolicy> {
    const machine = await readMachinePolicy(this.options);
    const userRaw = await this.readUserRaw();
    this.current = resolvePolicy(
      machine,
      userRaw === undefined ? undefined : { source: this.options.userSettingsFile, raw: userRaw },
    );
    return this.current;
  }

  async get(): Promise<EffectivePolicy> {
    return this.current ?? (await this.load());
  }

  /** Sets (or with `undefined` removes) one user setting. Locked keys and invalid values are refused. */
  async setUserValue(key: string, value: unknown): Promise<EffectivePolicy> {
    if (!Object.prototype.hasOwnProperty.call(policyKeys, key))
      throw new RatsdeskError('INVALID_INPUT', `unknown setting ${key}`);
    const k = key as PolicyKey;
    const effective = await this.load();
    if (effective.isLocked(k)) throw new RatsdeskError('POLICY_LOCKED', k);
    const raw = (await this.readUserRaw()) ?? {};
    const next: Record<string, unknown> =
      typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...(raw as object) } : {};
    if (value === undefined) {
      delete next[k];
    } else {
      const parsed = policyKeys[k].schema.safeParse(value);
      if (!parsed.success)
        throw new RatsdeskError('INVALID_INPUT', `${k}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      next[k] = parsed.data;
    }
    await writeJsonAtomically(this.options.userSettingsFile, next);
    return this.load();
  }

  private async readUserRaw(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.options.userSettingsFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A broken user file is reported as "not an object" and every key falls back to its default.
      return text;
    }
  }

  dispose(): void {
    this.current = undefined;
  }
}
