import { BrokerError } from '@joinedup/core';
import { type LeadCandidate, candidateKey } from './choose-lead.js';
import { DEFAULT_MAX_OFFER_FAILURES, DEFAULT_OFFER_WORKING_DAYS } from './lead-worker-policy.js';
import { type Offer, type OfferTarget, expireOffer, isPastDeadline } from './offer-state.js';
import { offerDeadline } from './working-days.js';

export interface OfferCase {
  caseId: string;
  /** From chooseLead, best first. */
  candidates: readonly LeadCandidate[];
}

export interface OfferSettings {
  now: Date;
  /** The id the caller will store a new offer under (ids are made outside the engine). */
  newOfferId: string;
  bankHolidays: readonly string[];
  coversUntil?: string;
  workingDays?: number;
  maxFailures?: number;
}

export type NextOffer =
  | { kind: 'lead'; workerId: string; offer: Offer; reason: string }
  | { kind: 'wait'; offer: Offer; reason: string }
  | { kind: 'offer'; offer: Offer; reason: string }
  | { kind: 'escalate'; offer: Offer; reason: string };

export interface NextOfferResult {
  /** Pending offers whose deadline has passed, now expired: store these along with `next`. */
  expired: Offer[];
  next: NextOffer;
}

function targetOf(candidate: LeadCandidate): OfferTarget {
  return candidate.kind === 'worker'
    ? { kind: 'worker', workerId: candidate.workerId, agency: candidate.agency, team: candidate.team }
    : { kind: 'duty-team', agency: candidate.agency, team: candidate.team };
}

function keyOf(target: OfferTarget): string {
  switch (target.kind) {
    case 'worker':
      return `worker:${target.workerId}`;
    case 'duty-team':
      return `duty-team:${target.agency}:${target.team}`;
    case 'team-manager':
      return `team-manager:${target.agency}:${target.team}`;
  }
}

function who(target: OfferTarget): string {
  switch (target.kind) {
    case 'worker':
      return target.workerId;
    case 'duty-team':
      return `the ${target.team} team at ${target.agency}`;
    case 'team-manager':
      return `the manager of ${target.team} at ${target.agency}`;
  }
}

function outcome(offer: Offer): string {
  return offer.status === 'declined'
    ? `${who(offer.target)} declined (${offer.reason ?? 'no reason given'})`
    : `${who(offer.target)} did not answer in time`;
}

/**
 * What happens next for a case's lead: keep the accepted lead, wait for a live offer, offer the
 * next candidate, or escalate to the team manager after `maxFailures` declined or expired offers
 * (or when nobody is left to ask). `history` is every offer of the case, oldest first.
 */
export function nextOffer(offerCase: OfferCase, history: readonly Offer[], settings: OfferSettings): NextOfferResult {
  const { now } = settings;
  const maxFailures = settings.maxFailures ?? DEFAULT_MAX_OFFER_FAILURES;
  const expired = history
    .filter((o) => o.status === 'pending' && isPastDeadline(o, now))
    .map((o) => expireOffer(o, now));
  const current = history.map((o) => expired.find((e) => e.offerId === o.offerId) ?? o);
  const result = (next: NextOffer): NextOfferResult => ({ expired, next });

  const lead = current.findLast((o) => o.status === 'accepted');
  if (lead)
    return result({
      kind: 'lead',
      workerId: lead.leadWorkerId!,
      offer: lead,
      reason: `${lead.leadWorkerId!} holds the case`,
    });
  const pending = current.find((o) => o.status === 'pending');
  if (pending)
    return result({
      kind: 'wait',
      offer: pending,
      reason: `waiting for ${who(pending.target)} until ${pending.deadline}`,
    });

  // A round of offers starts when the case first needs a lead, or when its last lead ended.
  const lastEnded = current.findLastIndex((o) => o.status === 'ended');
  const round = current.slice(lastEnded + 1);
  const failed = round.filter(
    (o) => (o.status === 'declined' || o.status === 'expired') && o.target.kind !== 'team-manager',
  );
  const escalations = round.filter((o) => o.target.kind === 'team-manager');
  const deadline = offerDeadline(now, settings.workingDays ?? DEFAULT_OFFER_WORKING_DAYS, settings.bankHolidays, {
    coversUntil: settings.coversUntil,
  }).toISOString();
  const newOffer = (target: OfferTarget, explanation: string): Offer => ({
    offerId: settings.newOfferId,
    caseId: offerCase.caseId,
    target,
    explanation,
    status: 'pending',
    offeredAt: now.toISOString(),
    deadline,
  });
  const failures = failed.map(outcome);

  const escalate = (why: string): NextOfferResult => {
    const team = offerCase.candidates[0] ?? [...round].reverse().find((o) => o.target.kind !== 'team-manager')?.target;
    if (!team)
      throw new BrokerError('CONFLICT', 'No candidate and no team to escalate the case to', {
        caseId: offerCase.caseId,
      });
    const explanation = [why, ...failures].join('; ');
    return result({
      kind: 'escalate',
      offer: newOffer({ kind: 'team-manager', agency: team.agency, team: team.team }, explanation),
      reason: explanation,
    });
  };

  const lastEscalation = escalations.at(-1);
  if (lastEscalation) return escalate(`escalated again: ${outcome(lastEscalation)}`);
  if (failed.length >= maxFailures)
    return escalate(`escalated to the team manager after ${failed.length} offers were declined or not answered`);

  const tried = new Set(round.map((o) => keyOf(o.target)));
  const candidate = offerCase.candidates.find((c) => !tried.has(candidateKey(c)));
  if (!candidate) return escalate('escalated to the team manager: no candidates left to offer');
  const after = failed.at(-1);
  const reason = after ? `${candidate.explanation}, after ${outcome(after)}` : candidate.explanation;
  return result({ kind: 'offer', offer: newOffer(targetOf(candidate), reason), reason });
}
