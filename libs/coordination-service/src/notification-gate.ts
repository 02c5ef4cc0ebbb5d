import type { GovernanceEngine } from '@joinedup/governance';
import { CASE_PURPOSE } from './case-governance.js';
import type { Disclosure } from './case-notifications.js';

export type GateAnswer = { allowed: true } | { allowed: false; reason: string };

/**
 * Asks again, just before a notification goes out, whether everything it discloses may still flow to its
 * recipient: a consent withdrawn or an agreement suspended after it was queued suppresses it.
 */
export class NotificationGate {
  constructor(private readonly governance: { readonly engine: GovernanceEngine }) {}

  check(recipientAgency: string, disclosures: readonly Disclosure[], at: Date): GateAnswer {
    for (const d of disclosures) {
      const decision = this.governance.engine.decide({
        purpose: CASE_PURPOSE,
        fromAgency: d.fromAgency,
        toAgency: recipientAgency,
        subject: d.subjects,
        categories: d.categories as never,
        at,
      });
      if (decision.decision !== 'allow')
        return {
          allowed: false,
          reason: `${d.fromAgency} may no longer share with ${recipientAgency}: ${decision.reasons[0] ?? 'denied'}`,
        };
    }
    return { allowed: true };
  }
}
