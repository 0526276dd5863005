import { domainToASCII } from 'node:url';
import type { DraftInput, RecipientCheck } from '../../contract/compose';
import { RatsdeskError } from '../../contract/errors';
import type { DraftOrigins } from './attachment-origins';

/** The machine policy's house rules for recipients (keys recipientDomainsAllowed, … in contract/policy.ts). */
export interface RecipientRules {
  /** Domains that need no confirmation; null = no check at all. */
  allowedDomains: readonly string[] | null;
  outsideAction: 'warn' | 'block';
  forwardingOutsideAllowed: boolean;
}

export const noRecipientRules: RecipientRules = {
  allowedDomains: null,
  outsideAction: 'warn',
  forwardingOutsideAllowed: true,
};

/** The ASCII (punycode) lower-case form, so "rathaus-münster.de" and "xn--rathaus-mnster-..." are one domain. */
function normalizeDomain(domain: string): string {
  const trimmed = domain.trim().replace(/\.$/, '').toLowerCase();
  return domainToASCII(trimmed) || trimmed;
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : normalizeDomain(address.slice(at + 1));
}

/**
 * The policy's verdict on a draft's recipients (to, cc and bcc). A domain counts as inside only when it is
 * listed exactly: IT lists subdomains it trusts one by one (example: stadt.de, rat.stadt.de). Whether the
 * draft is a forward the service decides from where its parts came from (attachment-origins.ts).
 */
export function checkRecipients(draft: DraftInput, rules: RecipientRules, origins: DraftOrigins): RecipientCheck {
  if (rules.allowedDomains === null) return { verdict: 'allow', outside: [], reason: null };
  const allowed = new Set(rules.allowedDomains.map(normalizeDomain));
  const outside = [
    ...new Set(
      [...draft.to, ...draft.cc, ...draft.bcc]
        .map((r) => r.address.trim())
        .filter((address) => !allowed.has(domainOf(address))),
    ),
  ];
  if (outside.length === 0) return { verdict: 'allow', outside, reason: null };
  if (origins.forward && !rules.forwardingOutsideAllowed) return { verdict: 'block', outside, reason: 'forward' };
  if (rules.outsideAction === 'block') return { verdict: 'block', outside, reason: 'outside' };
  return { verdict: 'confirm', outside, reason: null };
}

/** The send path's gate: refuses what the policy blocks, and what needs a confirmation the person did not give. */
export function enforceRecipients(
  draft: DraftInput,
  rules: RecipientRules,
  origins: DraftOrigins,
  confirmed: boolean,
): void {
  const check = checkRecipients(draft, rules, origins);
  const named = check.outside.slice(0, 10).join(', ').slice(0, 400);
  if (check.verdict === 'block') {
    throw new RatsdeskError(
      check.reason === 'forward' ? 'FORWARD_OUTSIDE_BLOCKED' : 'RECIPIENT_OUTSIDE_BLOCKED',
      named,
    );
  }
  if (check.verdict === 'confirm' && !confirmed) throw new RatsdeskError('RECIPIENT_OUTSIDE_CONFIRM', named);
}
