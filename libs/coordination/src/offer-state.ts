import { BrokerError } from '@joinedup/core';

/**
 * An offer asks one worker (or a duty team, or a team manager on escalation) to be the lead worker.
 *
 *   pending --accept--> accepted --hand over--> handed-over (and a new accepted offer for the next worker)
 *   pending --decline--> declined             accepted --end--> ended (the lead left the case)
 *   pending --expire---> expired
 *   pending --withdraw-> withdrawn (the case closed or no longer needs a lead)
 *
 * Transitions are pure: they return a new offer and throw BrokerError CONFLICT when the move is not
 * allowed from the offer's status, so two workers racing to answer cannot both win.
 */
export type OfferTarget =
  | { kind: 'worker'; workerId: string; agency: string; team: string }
  | { kind: 'duty-team'; agency: string; team: string }
  | { kind: 'team-manager'; agency: string; team: string };

export type OfferStatus = 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn' | 'handed-over' | 'ended';

export interface Offer {
  offerId: string;
  caseId: string;
  target: OfferTarget;
  /** Why this target: the lead-policy explanation, or why the case was escalated. */
  explanation: string;
  status: OfferStatus;
  /** ISO instants. */
  offeredAt: string;
  deadline: string;
  decidedAt?: string;
  /** Who holds the case once accepted: the target worker, or whoever the team or manager assigned. */
  leadWorkerId?: string;
  /** Why it was declined, withdrawn, handed over or ended. */
  reason?: string;
  handedOverTo?: string;
  /** On an offer created by a handover: the offer it continues. */
  handedOverFrom?: string;
}

const ALLOWED: Record<OfferStatus, readonly OfferStatus[]> = {
  pending: ['accepted', 'declined', 'expired', 'withdrawn'],
  accepted: ['handed-over', 'ended'],
  declined: [],
  expired: [],
  withdrawn: [],
  'handed-over': [],
  ended: [],
};

function move(offer: Offer, to: OfferStatus, at: Date, change: Partial<Offer> = {}): Offer {
  if (!ALLOWED[offer.status].includes(to)) {
    throw new BrokerError('CONFLICT', `An offer that is ${offer.status} cannot become ${to}`, {
      offerId: offer.offerId,
      from: offer.status,
      to,
    });
  }
  return { ...offer, ...change, status: to, decidedAt: at.toISOString() };
}

function requireReason(reason: string, what: string): string {
  const trimmed = reason.trim();
  if (trimmed === '')
    throw new BrokerError('VALIDATION_FAILED', `A reason is required to ${what}`, { field: 'reason' });
  return trimmed;
}

export function isPastDeadline(offer: Offer, at: Date): boolean {
  return at.getTime() >= Date.parse(offer.deadline);
}

/** `workerId` is who takes the case; required for duty-team and team-manager offers, checked for worker offers. */
export function acceptOffer(offer: Offer, at: Date, workerId?: string): Offer {
  if (offer.status === 'pending' && isPastDeadline(offer, at)) {
    throw new BrokerError('CONFLICT', 'The offer expired before it was accepted', {
      offerId: offer.offerId,
      deadline: offer.deadline,
    });
  }
  let lead: string;
  if (offer.target.kind === 'worker') {
    if (workerId !== undefined && workerId !== offer.target.workerId) {
      throw new BrokerError('FORBIDDEN', 'Only the worker offered the case can accept it', { offerId: offer.offerId });
    }
    lead = offer.target.workerId;
  } else {
    if (!workerId) throw new BrokerError('VALIDATION_FAILED', 'Say which worker takes the case', { field: 'workerId' });
    lead = workerId;
  }
  return move(offer, 'accepted', at, { leadWorkerId: lead });
}

export function declineOffer(offer: Offer, at: Date, reason: string): Offer {
  return move(offer, 'declined', at, { reason: requireReason(reason, 'decline an offer') });
}

export function expireOffer(offer: Offer, at: Date): Offer {
  if (offer.status === 'pending' && !isPastDeadline(offer, at)) {
    throw new BrokerError('CONFLICT', 'The offer has not reached its deadline', {
      offerId: offer.offerId,
      deadline: offer.deadline,
    });
  }
  return move(offer, 'expired', at, { reason: 'no answer by the deadline' });
}

export function withdrawOffer(offer: Offer, at: Date, reason: string): Offer {
  return move(offer, 'withdrawn', at, { reason: requireReason(reason, 'withdraw an offer') });
}

/** The lead stops holding the case (left the agency, involvement ended); a new round of offers starts. */
export function endLead(offer: Offer, at: Date, reason: string): Offer {
  return move(offer, 'ended', at, { reason: requireReason(reason, 'end a lead') });
}

export interface Handover {
  newOfferId: string;
  to: { workerId: string; agency: string; team: string };
  reason: string;
}

/**
 * Hands the case from the current lead to another worker. Both records stay in the history: the old
 * one says who it went to and why, the new one says where it came from.
 */
export function handOver(offer: Offer, at: Date, handover: Handover): [Offer, Offer] {
  const reason = requireReason(handover.reason, 'hand over a case');
  if (offer.leadWorkerId === handover.to.workerId) {
    throw new BrokerError('CONFLICT', 'A case cannot be handed over to its own lead', { offerId: offer.offerId });
  }
  const previous = move(offer, 'handed-over', at, { reason, handedOverTo: handover.to.workerId });
  const next: Offer = {
    offerId: handover.newOfferId,
    caseId: offer.caseId,
    target: { kind: 'worker', ...handover.to },
    explanation: `handed over from ${offer.leadWorkerId ?? 'the previous lead'}: ${reason}`,
    status: 'accepted',
    offeredAt: at.toISOString(),
    deadline: at.toISOString(),
    decidedAt: at.toISOString(),
    leadWorkerId: handover.to.workerId,
    handedOverFrom: offer.offerId,
  };
  return [previous, next];
}
