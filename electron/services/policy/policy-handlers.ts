import type { RatsdeskHandlers } from '../../contract';
import type { CurrentPolicy } from './current-policy';

/** The `policy` domain's calls: the effective policy, and the user's own settings where not locked. */
export function policyHandlers(policy: CurrentPolicy): RatsdeskHandlers['policy'] {
  return {
    get: async () => (await policy.get()).toInfo(),
    setUserValue: async ({ key, value }) => (await policy.setUserValue(key, value)).toInfo(),
  };
}
