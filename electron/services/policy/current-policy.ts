import type { EffectivePolicy } from './policy-resolver';
import type { PolicyService } from './policy-service';

/**
 * The effective policy the services apply, read once and kept: a read that fails is not kept, so the
 * next call reads again. Every newly read or changed policy goes to `onChange` (trust, export rule)
 * before anyone sees it.
 */
export class CurrentPolicy {
  private loading: Promise<EffectivePolicy> | undefined;

  constructor(
    private readonly service: PolicyService,
    private readonly onChange: (p: EffectivePolicy) => void,
  ) {}

  get(): Promise<EffectivePolicy> {
    return (this.loading ??= this.service.load().then(
      (p) => {
        this.onChange(p);
        return p;
      },
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    ));
  }

  /** Changes one user setting (POLICY_LOCKED where the administration set it) and applies the result. */
  async setUserValue(key: string, value: unknown): Promise<EffectivePolicy> {
    const next = await this.service.setUserValue(key, value);
    this.onChange(next);
    this.loading = Promise.resolve(next);
    return next;
  }
}
