import type { z } from 'zod';
import {
  policyKeyNames,
  policyKeys,
  type EffectivePolicyInfo,
  type PolicyEntry,
  type PolicyIssue,
  type PolicyKey,
  type PolicyProblem,
  type PolicyValues,
  type PolicyValueSource,
} from '../../contract/policy';
import type { MachinePolicyRead } from './machine-policy-source';

/** The user's own settings layer (a JSON object of policy keys), below the machine policy. */
export interface UserLayer {
  source: string;
  raw: unknown;
}

interface LayerResult {
  valid: Partial<Record<PolicyKey, unknown>>;
  invalid: Set<PolicyKey>;
  issues: PolicyIssue[];
}

function isPolicyKey(name: string): name is PolicyKey {
  return Object.prototype.hasOwnProperty.call(policyKeys, name);
}

function problemOf(error: z.ZodError): PolicyProblem {
  const code = error.issues[0]?.code;
  if (code === 'invalid_type') return 'wrong-type';
  if (code === 'too_big' || code === 'too_small') return 'out-of-range';
  return 'invalid-value';
}

const problemWords: Record<PolicyProblem, string> = {
  unreadable: 'cannot be read',
  'bad-json': 'is not valid JSON',
  'not-an-object': 'is not a JSON object of keys',
  'unknown-key': 'is not a known policy key',
  'wrong-type': 'has the wrong type',
  'out-of-range': 'is out of range',
  'invalid-value': 'has an invalid value',
  'policy-only': 'can only be set by the machine policy',
};

function fallbackText(key: PolicyKey, fromPolicy: boolean): string {
  const def = policyKeys[key];
  return fromPolicy
    ? `using the safe value ${JSON.stringify(def.safe)} (${def.safeReason}) and locking it`
    : `using the default ${JSON.stringify(def.default)}`;
}

function validateLayer(raw: unknown, source: string, fromPolicy: boolean): LayerResult {
  const result: LayerResult = { valid: {}, invalid: new Set(), issues: [] };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    result.issues.push({
      source,
      key: null,
      problem: 'not-an-object',
      message: `${fromPolicy ? 'Policy' : 'Settings'} ${source} ${problemWords['not-an-object']}.`,
      fromPolicy,
    });
    if (fromPolicy) policyKeyNames.forEach((k) => result.invalid.add(k));
    return result;
  }
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isPolicyKey(name)) {
      result.issues.push({
        source,
        key: name,
        problem: 'unknown-key',
        message: `${fromPolicy ? 'Policy' : 'Settings'} ${source}: key "${name}" ${problemWords['unknown-key']}; it has no effect. Known keys: ${policyKeyNames.join(', ')}.`,
        fromPolicy,
      });
      continue;
    }
    if (!fromPolicy && policyKeys[name].setBy === 'policy') {
      // Trust-bearing keys (CAs, update server, further council origins …) are the administration's alone:
      // another program, or a compromised renderer, writing the user's settings must not add trust.
      result.issues.push({
        source,
        key: name,
        problem: 'policy-only',
        message: `Settings ${source}: key "${name}" ${problemWords['policy-only']}; the value here is ignored.`,
        fromPolicy,
      });
      continue;
    }
    const parsed = policyKeys[name].schema.safeParse(value);
    if (parsed.success) {
      result.valid[name] = parsed.data;
      continue;
    }
    const problem = problemOf(parsed.error);
    const detail = parsed.error.issues[0]?.message ?? '';
    result.invalid.add(name);
    result.issues.push({
      source,
      key: name,
      problem,
      message: `${fromPolicy ? 'Policy' : 'Settings'} ${source}: key "${name}" ${problemWords[problem]} (${detail}); ${fallbackText(name, fromPolicy)}.`,
      fromPolicy,
    });
  }
  return result;
}

/**
 * The effective settings: machine policy (locked) over user settings over defaults. A key the policy
 * sets wrongly takes its documented safe value and stays locked; a wrong user value takes the default.
 */
export class EffectivePolicy {
  constructor(
    readonly values: PolicyValues,
    private readonly entryMap: Map<PolicyKey, PolicyEntry>,
    readonly issues: PolicyIssue[],
    readonly machineSource: string,
  ) {}

  get<K extends PolicyKey>(key: K): PolicyValues[K] {
    return this.values[key];
  }

  isLocked(key: PolicyKey): boolean {
    return this.entryMap.get(key)?.locked ?? false;
  }

  sourceOf(key: PolicyKey): PolicyValueSource {
    return this.entryMap.get(key)?.source ?? 'default';
  }

  /** Whether the machine policy sets anything (a key only it may set does not make a policy by itself). */
  get managed(): boolean {
    return [...this.entryMap.values()].some((e) => e.source === 'policy' || e.source === 'policy-invalid');
  }

  toInfo(): EffectivePolicyInfo {
    return {
      entries: [...this.entryMap.values()],
      issues: this.issues,
      machineSource: this.machineSource,
      managed: this.managed,
    };
  }
}

export function resolvePolicy(machine: MachinePolicyRead, user?: UserLayer): EffectivePolicy {
  const issues: PolicyIssue[] = [];
  let policyLayer: LayerResult = { valid: {}, invalid: new Set(), issues: [] };
  if (machine.kind === 'read') {
    policyLayer = validateLayer(machine.raw, machine.source, true);
  } else if (machine.kind === 'bad-json' || machine.kind === 'unreadable') {
    // The administration meant to set something we cannot read: every key takes its safe value.
    policyLayer.invalid = new Set(policyKeyNames);
    policyLayer.issues.push({
      source: machine.source,
      key: null,
      problem: machine.kind,
      message: `Policy ${machine.source} ${problemWords[machine.kind]} (${machine.message}); every key uses its safe value and is locked until the file is fixed.`,
      fromPolicy: true,
    });
  }
  issues.push(...policyLayer.issues);
  const userLayer = user ? validateLayer(user.raw, user.source, false) : undefined;
  if (userLayer) issues.push(...userLayer.issues);

  const values = {} as Record<PolicyKey, unknown>;
  const entries = new Map<PolicyKey, PolicyEntry>();
  for (const key of policyKeyNames) {
    let value: unknown;
    let source: PolicyValueSource;
    let locked = false;
    if (key in policyLayer.valid) {
      value = policyLayer.valid[key];
      source = 'policy';
      locked = true;
    } else if (policyLayer.invalid.has(key)) {
      value = policyKeys[key].safe;
      source = 'policy-invalid';
      locked = true;
    } else if (userLayer && key in userLayer.valid) {
      value = userLayer.valid[key];
      source = 'user';
    } else {
      value = policyKeys[key].default;
      source = 'default';
      locked = policyKeys[key].setBy === 'policy';
    }
    values[key] = value;
    entries.set(key, { key, value, source, locked });
  }
  return new EffectivePolicy(values as PolicyValues, entries, issues, machine.source);
}
