import { readFileSync } from 'node:fs';
import { chooseLead } from './choose-lead.js';
import { family, workers } from './coordination.fixture.js';
import { parseLeadWorkerPolicy } from './lead-worker-policy.js';
import { nextOffer, type NextOfferResult, type OfferSettings } from './next-offer.js';
import { acceptOffer, declineOffer, endLead, expireOffer, handOver, withdrawOffer, type Offer } from './offer-state.js';
import { parseBankHolidays } from './working-days.js';

const policy = parseLeadWorkerPolicy(JSON.parse(readFileSync('config/coordination/lead-worker-policy.json', 'utf8')));
const { dates: bankHolidays } = parseBankHolidays(
  JSON.parse(readFileSync('config/coordination/bank-holidays.json', 'utf8')),
);
const offerCase = { caseId: 'case-1', candidates: chooseLead(family(), workers(), policy).candidates };
let ids = 0;
const settings = (now: string): OfferSettings => ({
  now: new Date(now),
  newOfferId: `offer-${(ids += 1)}`,
  bankHolidays,
  workingDays: policy.offers.workingDays,
  maxFailures: policy.offers.maxFailures,
});
const made = (r: NextOfferResult): Offer => r.next.offer;
const target = (o: Offer) =>
  o.target.kind === 'worker' ? o.target.workerId : `${o.target.kind}:${o.target.agency}/${o.target.team}`;

describe('offers', () => {
  it('offers the best candidate first, with a deadline two working days on', () => {
    const r = nextOffer(offerCase, [], settings('2026-04-02T10:00:00+01:00')); // Thursday before Easter
    expect(r.next.kind).toBe('offer');
    expect(target(made(r))).toBe('ann');
    expect(made(r).deadline).toBe('2026-04-08T09:00:00.000Z');
    expect(made(r).explanation).toMatch(/^offers Ann Able at leeds-csc .* \(most family members\)$/);
  });

  it('moves on after a decline with its reason, and after an expiry, then escalates to the team manager after three failures', () => {
    const history: Offer[] = [];
    const first = made(nextOffer(offerCase, history, settings('2026-03-02T09:00:00Z')));
    history.push(declineOffer(first, new Date('2026-03-02T11:00:00Z'), 'on leave until April'));

    const second = nextOffer(offerCase, history, settings('2026-03-02T11:00:00Z'));
    expect(target(made(second))).toBe('bob');
    expect(second.next.reason).toMatch(/, after ann declined \(on leave until April\)$/);
    history.push(made(second));

    // Bob does not answer: the next look after his deadline expires the offer and moves on.
    const third = nextOffer(offerCase, history, settings('2026-03-04T11:00:01Z'));
    expect(third.expired.map((o) => [o.offerId, o.status])).toEqual([[made(second).offerId, 'expired']]);
    expect(target(made(third))).toBe('cat');
    expect(third.next.reason).toMatch(/, after bob did not answer in time$/);
    history.splice(1, 1, ...third.expired);
    history.push(declineOffer(made(third), new Date('2026-03-04T12:00:00Z'), 'caseload full'));

    const escalation = nextOffer(offerCase, history, settings('2026-03-04T12:00:00Z'));
    expect(escalation.next.kind).toBe('escalate');
    expect(made(escalation).target).toEqual({ kind: 'team-manager', agency: 'leeds-csc', team: 'north' });
    expect(escalation.next.reason).toBe(
      'escalated to the team manager after 3 offers were declined or not answered; ann declined (on leave until April); bob did not answer in time; cat declined (caseload full)',
    );
    history.push(made(escalation));
    expect(nextOffer(offerCase, history, settings('2026-03-05T09:00:00Z')).next.kind).toBe('wait');

    // The manager assigns a worker; that worker is the lead.
    history.push(acceptOffer(history.pop()!, new Date('2026-03-05T10:00:00Z'), 'dee'));
    expect(nextOffer(offerCase, history, settings('2026-03-05T10:00:00Z')).next).toMatchObject({
      kind: 'lead',
      workerId: 'dee',
    });
  });

  it('escalates again when the team manager does not answer', () => {
    const history: Offer[] = [];
    for (const at of ['2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z']) {
      history.push(declineOffer(made(nextOffer(offerCase, history, settings(at))), new Date(at), 'no capacity'));
    }
    history.push(made(nextOffer(offerCase, history, settings('2026-03-02T12:00:00Z'))));
    const again = nextOffer(offerCase, history, settings('2026-03-05T12:00:00Z'));
    expect(again.expired[0]?.target.kind).toBe('team-manager');
    expect(again.next.kind).toBe('escalate');
    expect(again.next.reason).toMatch(/^escalated again: the manager of north at leeds-csc did not answer in time; /);
  });

  it('escalates when nobody is left to ask, even before the failure limit', () => {
    const short = { caseId: 'case-1', candidates: offerCase.candidates.slice(0, 1) };
    const first = made(nextOffer(short, [], settings('2026-03-02T09:00:00Z')));
    const r = nextOffer(
      short,
      [declineOffer(first, new Date('2026-03-02T09:30:00Z'), 'moving team')],
      settings('2026-03-02T09:30:00Z'),
    );
    expect(r.next.reason).toBe(
      'escalated to the team manager: no candidates left to offer; ann declined (moving team)',
    );
  });

  it('hands a case over and keeps the history; a new round starts when a lead ends', () => {
    const offer = made(nextOffer(offerCase, [], settings('2026-03-02T09:00:00Z')));
    const accepted = acceptOffer(offer, new Date('2026-03-02T10:00:00Z'));
    const [old, handed] = handOver(accepted, new Date('2026-03-20T10:00:00Z'), {
      newOfferId: 'offer-h',
      to: { workerId: 'bob', agency: 'leeds-csc', team: 'north' },
      reason: 'Ann is moving to the adoption team',
    });
    expect(old).toMatchObject({
      status: 'handed-over',
      handedOverTo: 'bob',
      reason: 'Ann is moving to the adoption team',
    });
    expect(handed).toMatchObject({ status: 'accepted', leadWorkerId: 'bob', handedOverFrom: offer.offerId });
    const history = [old, handed];
    expect(nextOffer(offerCase, history, settings('2026-03-21T10:00:00Z')).next).toMatchObject({
      kind: 'lead',
      workerId: 'bob',
    });

    history[1] = endLead(handed, new Date('2026-04-20T10:00:00Z'), 'Bob left the authority');
    const fresh = nextOffer(offerCase, history, settings('2026-04-20T10:00:00Z'));
    expect(fresh.next.kind).toBe('offer');
    expect(target(made(fresh))).toBe('ann'); // a new round: earlier offers do not count against it
  });
});

describe('offer transitions', () => {
  const pending = (): Offer => ({
    offerId: 'o-1',
    caseId: 'case-1',
    target: { kind: 'worker', workerId: 'ann', agency: 'leeds-csc', team: 'north' },
    explanation: 'test',
    status: 'pending',
    offeredAt: '2026-03-02T09:00:00.000Z',
    deadline: '2026-03-04T09:00:00.000Z',
  });
  const before = new Date('2026-03-03T09:00:00Z');
  const after = new Date('2026-03-04T09:00:00Z');

  it.each([
    ['accept a declined offer', () => acceptOffer(declineOffer(pending(), before, 'no'), before)],
    ['decline an accepted offer', () => declineOffer(acceptOffer(pending(), before), before, 'changed my mind')],
    ['accept after the deadline', () => acceptOffer(pending(), after)],
    ['expire before the deadline', () => expireOffer(pending(), before)],
    ['expire an accepted offer', () => expireOffer(acceptOffer(pending(), before), after)],
    ['withdraw an expired offer', () => withdrawOffer(expireOffer(pending(), after), after, 'case closed')],
    [
      'hand over a pending offer',
      () =>
        handOver(pending(), before, { newOfferId: 'x', to: { workerId: 'bob', agency: 'a', team: 't' }, reason: 'r' }),
    ],
  ])('refuses to %s (CONFLICT)', (_what, act) => {
    expect(act).toThrow(expect.objectContaining({ name: 'BrokerError', code: 'CONFLICT' }));
  });

  it('needs a reason to decline, and a worker to accept for a team', () => {
    expect(() => declineOffer(pending(), before, '  ')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    const duty: Offer = { ...pending(), target: { kind: 'duty-team', agency: 'leeds-csc', team: 'duty' } };
    expect(() => acceptOffer(duty, before)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(acceptOffer(duty, before, 'dan')).toMatchObject({ status: 'accepted', leadWorkerId: 'dan' });
    expect(() => acceptOffer(pending(), before, 'bob')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
