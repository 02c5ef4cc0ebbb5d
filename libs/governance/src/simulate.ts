import type { DataCategory } from '@joinedup/core';
import { agreementRef, type Agreement, type AgreementRef, type Purpose } from './agreement.js';
import { agreementProblems } from './agreement-validation.js';
import type { ConsentState } from './consent.js';
import { flowCandidates, notInForce, type FlowCandidate } from './flow-rules.js';

/**
 * One cell of an anonymous population summary: how many persons known to both `from` and `to`, in
 * one consent state for one purpose, have records at `from` carrying one category. Built by a
 * GROUP BY over linked records; it holds counts only, never a name, id or record.
 */
export interface PopulationCell {
  /** The agency holding the records. */
  from: string;
  /** The agency that would receive them; the persons counted are known to both. */
  to: string;
  purpose: Purpose;
  /** The persons' latest consent for `purpose` covering `to`; `none` when absent or expired. */
  consent: ConsentState | 'none';
  category: DataCategory;
  /** Distinct persons in the cell; each person is in exactly one consent state per purpose and pair. */
  persons: number;
  /** Records at `from` about those persons that carry `category`. */
  records: number;
}

export interface PopulationSummary {
  cells: readonly PopulationCell[];
}

export interface SimulationOptions {
  /** When given, agreements (the draft included) and overrides count only if in force at this moment. */
  at?: Date;
}

/** Persons and records of one category that would start or stop moving between two agencies. */
export interface FlowChange {
  purpose: Purpose;
  from: string;
  to: string;
  category: DataCategory;
  persons: number;
  records: number;
}

export interface Simulation {
  draft: AgreementRef;
  /** The active version the draft would replace, if it is a new version of one. */
  replaces: AgreementRef | null;
  /** Validation problems of the draft; the simulation still runs so an IG officer sees both. */
  problems: string[];
  starts: FlowChange[];
  stops: FlowChange[];
  /** One plain English line per change, counts only. */
  summary: string[];
}

type Rules = Map<string, FlowCandidate[]>;
const keyOf = (purpose: string, from: string, to: string): string => `${purpose}\u0000${from}\u0000${to}`;

function rulesOf(agreements: readonly Agreement[], at: Date | undefined): Rules {
  const rules: Rules = new Map();
  for (const a of agreements) {
    for (const c of flowCandidates(a)) {
      if (at && notInForce(c, at.getTime())) continue;
      const key = keyOf(c.purpose, c.flow.from, c.flow.to);
      rules.set(key, [...(rules.get(key) ?? []), c]);
    }
  }
  return rules;
}

function consentMet(c: FlowCandidate, consent: PopulationCell['consent'], at: Date | undefined): boolean {
  switch (c.agreement.consentRule) {
    case 'not-required':
      return true;
    case 'explicit-consent':
      return consent === 'given';
    case 'safeguarding-override': {
      const overrideLive = at ? at.getTime() < c.overrideUntilMs : Number.isFinite(c.overrideUntilMs);
      return overrideLive || consent === 'given';
    }
  }
}

/** The same test `decide` applies, over a group of persons instead of one. */
function flows(rules: Rules, cell: PopulationCell, at: Date | undefined): boolean {
  return (rules.get(keyOf(cell.purpose, cell.from, cell.to)) ?? []).some(
    (c) => c.categories.has(cell.category) && !c.conditionGaps.has(cell.category) && consentMet(c, cell.consent, at),
  );
}

function add(into: Map<string, FlowChange>, cell: PopulationCell): void {
  const key = `${keyOf(cell.purpose, cell.from, cell.to)}\u0000${cell.category}`;
  const row = into.get(key);
  if (row) {
    row.persons += cell.persons;
    row.records += cell.records;
  } else {
    const { purpose, from, to, category, persons, records } = cell;
    into.set(key, { purpose, from, to, category, persons, records });
  }
}

const ordered = (m: Map<string, FlowChange>): FlowChange[] =>
  [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);

const line = (verb: string, r: FlowChange): string =>
  `${r.from} -> ${r.to} for ${r.purpose}: ${r.category} about ${r.persons} person(s) (${r.records} record(s)) would ${verb}.`;

/**
 * What would change if `draft` became active alongside (or, for a new version, instead of) the
 * active agreements: which data would start or stop flowing between which agencies, in counts.
 */
export function simulate(
  draft: Agreement,
  activeAgreements: readonly Agreement[],
  population: PopulationSummary,
  options: SimulationOptions = {},
): Simulation {
  const active = activeAgreements.filter((a) => a.status === 'active');
  const replaced = active.find((a) => a.id === draft.id) ?? null;
  const before = rulesOf(active, options.at);
  const after = rulesOf([...active.filter((a) => a.id !== draft.id), { ...draft, status: 'active' }], options.at);

  const starts = new Map<string, FlowChange>();
  const stops = new Map<string, FlowChange>();
  for (const cell of population.cells) {
    if (cell.from === cell.to || cell.persons === 0) continue; // own data never needs an agreement
    const was = flows(before, cell, options.at);
    const will = flows(after, cell, options.at);
    if (will && !was) add(starts, cell);
    if (was && !will) add(stops, cell);
  }
  const startRows = ordered(starts);
  const stopRows = ordered(stops);
  const summary = [...startRows.map((r) => line('start to flow', r)), ...stopRows.map((r) => line('stop flowing', r))];
  if (summary.length === 0) summary.push('Nothing would start or stop flowing.');
  return {
    draft: agreementRef(draft),
    replaces: replaced ? agreementRef(replaced) : null,
    problems: agreementProblems(draft),
    starts: startRows,
    stops: stopRows,
    summary,
  };
}
