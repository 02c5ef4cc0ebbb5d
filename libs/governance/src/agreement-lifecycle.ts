import { BrokerError } from '@joinedup/core';
import {
  IG_OFFICER_ROLE,
  describeRef,
  type Actor,
  type Agreement,
  type AgreementStatus,
  type PersonAtAgency,
} from './agreement.js';
import { assertValidAgreement, type AgreementContent } from './agreement-validation.js';

/**
 * Agreement lifecycle as pure functions: each takes one version and returns the next, or throws a
 * BrokerError. Callers keep every version (the register is append-only), so old versions stay readable.
 */

const day = (d: Date): string => d.toISOString().slice(0, 10);

function next(a: Agreement, by: PersonAtAgency, at: Date, description: string, patch: Partial<Agreement>): Agreement {
  return { ...a, ...patch, version: a.version + 1, change: { by: by.person, at, description } };
}

function expectStatus(a: Agreement, action: string, ...allowed: AgreementStatus[]): void {
  if (!allowed.includes(a.status)) {
    throw new BrokerError(
      'CONFLICT',
      `Cannot ${action} ${describeRef(a)}: it is ${a.status}, and only ${allowed.join(' or ')} agreements can be.`,
      { id: a.id, version: a.version, status: a.status },
    );
  }
}

function expectIgOfficer(actor: Actor, action: string): void {
  if (!actor.roles.includes(IG_OFFICER_ROLE)) {
    throw new BrokerError('FORBIDDEN', `Only an information governance officer may ${action} an agreement.`);
  }
}

function expectParty(a: Agreement, actor: Actor, action: string): void {
  if (!a.parties.includes(actor.agency)) {
    throw new BrokerError('FORBIDDEN', `${actor.agency} is not a party to ${describeRef(a)} and cannot ${action} it.`);
  }
}

/** Version 1 of a new agreement. Drafts may be incomplete; problems are listed at submission. */
export function createDraft(id: string, content: AgreementContent, author: Actor, at: Date): Agreement {
  if (id.trim() === '') throw new BrokerError('VALIDATION_FAILED', 'An agreement needs an id.');
  expectIgOfficer(author, 'draft');
  return {
    ...content,
    id,
    version: 1,
    status: 'draft',
    approvals: [],
    author: { person: author.person, agency: author.agency },
    change: { by: author.person, at, description: 'drafted' },
  };
}

/** A changed draft. Editing an agreement under approval sends it back to draft and clears approvals. */
export function editDraft(a: Agreement, changes: Partial<AgreementContent>, by: Actor, at: Date): Agreement {
  expectStatus(a, 'edit', 'draft', 'awaiting-approval');
  expectIgOfficer(by, 'edit');
  expectParty(a, by, 'edit');
  const reopened = a.status === 'awaiting-approval' ? ' (approvals cleared)' : '';
  return next(a, by, at, `edited ${Object.keys(changes).sort().join(', ')}${reopened}`, {
    ...changes,
    status: 'draft',
    approvals: [],
  });
}

/** Throws VALIDATION_FAILED with every problem listed in details.problems. */
export function submitForApproval(a: Agreement, by: Actor, at: Date): Agreement {
  expectStatus(a, 'submit', 'draft');
  expectIgOfficer(by, 'submit');
  expectParty(a, by, 'submit');
  assertValidAgreement(a);
  return next(a, by, at, 'submitted for approval', { status: 'awaiting-approval' });
}

/** Agencies whose IG officer must still approve: every party except the author's own. */
export function pendingApprovals(a: Agreement): string[] {
  const approved = new Set(a.approvals.map((x) => x.agency));
  return a.parties.filter((p) => p !== a.author.agency && !approved.has(p));
}

/**
 * Records one party's approval. Two-person rule: the author can never approve, and activation needs
 * an IG officer of every other party, so at least two people stand behind every active agreement.
 */
export function approve(a: Agreement, approver: Actor, at: Date): Agreement {
  expectStatus(a, 'approve', 'awaiting-approval');
  expectIgOfficer(approver, 'approve');
  expectParty(a, approver, 'approve');
  if (approver.person === a.author.person) {
    throw new BrokerError('FORBIDDEN', `The author of ${describeRef(a)} cannot approve it.`);
  }
  if (a.approvals.some((x) => x.agency === approver.agency)) {
    throw new BrokerError('CONFLICT', `${approver.agency} has already approved ${describeRef(a)}.`);
  }
  const approvals = [...a.approvals, { agency: approver.agency, by: approver.person, at }];
  return next(a, approver, at, `approved for ${approver.agency}`, { approvals });
}

export function activate(a: Agreement, by: Actor, at: Date): Agreement {
  expectStatus(a, 'activate', 'awaiting-approval');
  expectIgOfficer(by, 'activate');
  expectParty(a, by, 'activate');
  const pending = pendingApprovals(a);
  if (pending.length > 0) {
    throw new BrokerError('CONFLICT', `${describeRef(a)} still needs approval from ${pending.join(', ')}.`, {
      pending,
    });
  }
  assertValidAgreement(a);
  if (a.validTo <= at) {
    throw new BrokerError('CONFLICT', `${describeRef(a)} ended on ${day(a.validTo)} and cannot be activated.`);
  }
  return next(a, by, at, 'activated', { status: 'active' });
}

export function suspend(a: Agreement, by: Actor, at: Date, reason: string): Agreement {
  expectStatus(a, 'suspend', 'active');
  expectIgOfficer(by, 'suspend');
  expectParty(a, by, 'suspend');
  if (reason.trim() === '') throw new BrokerError('VALIDATION_FAILED', 'Say why the agreement is suspended.');
  return next(a, by, at, `suspended: ${reason}`, { status: 'suspended' });
}

export function resume(a: Agreement, by: Actor, at: Date): Agreement {
  expectStatus(a, 'resume', 'suspended');
  expectIgOfficer(by, 'resume');
  expectParty(a, by, 'resume');
  if (a.validTo <= at) {
    throw new BrokerError('CONFLICT', `${describeRef(a)} ended on ${day(a.validTo)} and cannot be resumed.`);
  }
  return next(a, by, at, 'resumed', { status: 'active' });
}

export function retire(a: Agreement, by: Actor, at: Date, reason: string): Agreement {
  expectStatus(a, 'retire', 'draft', 'awaiting-approval', 'active', 'suspended');
  expectIgOfficer(by, 'retire');
  expectParty(a, by, 'retire');
  if (reason.trim() === '') throw new BrokerError('VALIDATION_FAILED', 'Say why the agreement is retired.');
  return next(a, by, at, `retired: ${reason}`, { status: 'retired' });
}

/** The system, not a person, expires agreements; it is recorded as the changer. */
export const SYSTEM_ACTOR: PersonAtAgency = { person: 'system', agency: 'broker' };

/** Next versions of the active or suspended agreements whose validTo has passed at `at`. */
export function expireDue(agreements: readonly Agreement[], at: Date): Agreement[] {
  return agreements
    .filter((a) => (a.status === 'active' || a.status === 'suspended') && a.validTo <= at)
    .map((a) => next(a, SYSTEM_ACTOR, at, `expired: validTo ${day(a.validTo)} passed`, { status: 'expired' }));
}
