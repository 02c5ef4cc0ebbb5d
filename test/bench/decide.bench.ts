// npm run bench:decide [-- --agreements 10000 --decisions 200000 --runs 5]
// Builds a random register of agreements and consent across ~200 agencies, then times single
// governance decisions one by one. Prints progress on stderr and one JSON line last on stdout.
// Pure and in-process: no database, so it only measures the engine.
import { parseArgs } from 'node:util';
import { DATA_CATEGORIES, Rng, type DataCategory } from '@joinedup/core';
import {
  ARTICLE6_BASES,
  CONSENT_RULES,
  GovernanceEngine,
  KNOWN_PURPOSES,
  type Agreement,
  type AgreementStatus,
  type ConsentRecord,
  type DecisionRequest,
} from '@joinedup/governance';

const { values } = parseArgs({
  options: {
    agreements: { type: 'string', default: '10000' },
    agencies: { type: 'string', default: '200' },
    subjects: { type: 'string', default: '50000' },
    consents: { type: 'string', default: '100000' },
    decisions: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
  },
});
const AGREEMENTS = Number(values.agreements);
const DECISIONS = Number(values.decisions);
const RUNS = Number(values.runs);
const rng = new Rng(Number(values.seed));

const progress = (message: string): void => void process.stderr.write(`${message}\n`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const day = (n: number): Date => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);

const agencies = Array.from({ length: Number(values.agencies) }, (_, i) => `agency-${i}`);
const purposes = [...KNOWN_PURPOSES, 'early-help', 'troubled-families', 'youth-justice'];
const subjects = Array.from({ length: Number(values.subjects) }, (_, i) => `person-${i}`);
const statuses: AgreementStatus[] = ['active', 'active', 'active', 'active', 'active', 'suspended', 'expired', 'draft'];

function someCategories(): DataCategory[] {
  const picked = DATA_CATEGORIES.filter(() => rng.chance(0.4));
  return picked.length > 0 ? picked : ['identity'];
}

function randomAgreement(i: number): Agreement {
  const parties = [...new Set(Array.from({ length: rng.int(2, 4) }, () => rng.pick(agencies)))];
  if (parties.length < 2) parties.push(agencies[(agencies.indexOf(parties[0]!) + 1) % agencies.length]!);
  const flows = parties.flatMap((from) =>
    parties.filter((to) => to !== from && rng.chance(0.7)).map((to) => ({ from, to, categories: someCategories() })),
  );
  const consentRule = rng.pick(CONSENT_RULES);
  const start = rng.int(-400, 100);
  return {
    id: `dsa-${String(i).padStart(5, '0')}`,
    version: rng.int(1, 6),
    title: `Agreement ${i}`,
    parties,
    purposes: [...new Set([rng.pick(purposes), rng.pick(purposes)])],
    flows: flows.length > 0 ? flows : [{ from: parties[0]!, to: parties[1]!, categories: ['identity'] }],
    lawfulBasis: {
      article6: rng.pick(ARTICLE6_BASES),
      article9: rng.chance(0.7) ? 'health-social-care' : undefined,
      schedule1: rng.chance(0.8) ? 'safeguarding-children-and-individuals-at-risk' : undefined,
      gateway: 'Children Act 2004 s10',
    },
    consentRule,
    override:
      consentRule === 'safeguarding-override'
        ? { justification: rng.chance(0.9) ? 'Risk of significant harm' : '', expiresAt: day(rng.int(0, 300)) }
        : undefined,
    validFrom: day(start),
    validTo: day(start + rng.int(200, 900)),
    reviewDate: day(start + 180),
    dpiaReference: `DPIA-${i}`,
    status: rng.pick(statuses),
    approvals: [],
    author: { person: `ig-${parties[0]}`, agency: parties[0]! },
    change: { by: `ig-${parties[0]}`, at: day(start - 10), description: 'activated' },
  };
}

progress(`decide: generating ${AGREEMENTS.toLocaleString('en-GB')} agreements across ${agencies.length} agencies`);
const agreements = Array.from({ length: AGREEMENTS }, (_, i) => randomAgreement(i));
const consents: ConsentRecord[] = Array.from({ length: Number(values.consents) }, (_, i) => ({
  id: `consent-${i}`,
  subject: rng.pick(subjects),
  purpose: rng.pick(purposes),
  state: rng.pick(['given', 'given', 'given', 'refused', 'withdrawn'] as const),
  scope: rng.chance(0.5) ? 'all' : [rng.pick(agencies), rng.pick(agencies)],
  recordedBy: 'worker',
  evidenceRef: `form-${i}`,
  at: day(rng.int(-300, 150)),
  expiresAt: rng.chance(0.2) ? day(rng.int(0, 400)) : undefined,
}));

const buildStarted = performance.now();
const engine = GovernanceEngine.create(agreements, consents);
const buildMs = performance.now() - buildStarted;
progress(
  `decide: index built in ${buildMs.toFixed(0)} ms (${consents.length.toLocaleString('en-GB')} consent records)`,
);

// Most requests follow a real flow (the interesting, slower path); the rest are random pairs.
function randomRequest(): DecisionRequest {
  let fromAgency: string;
  let toAgency: string;
  let purpose: string;
  if (rng.chance(0.8)) {
    const a = rng.pick(agreements);
    const flow = rng.pick(a.flows);
    [fromAgency, toAgency, purpose] = [flow.from, flow.to, rng.pick(a.purposes)];
  } else {
    [fromAgency, toAgency, purpose] = [rng.pick(agencies), rng.pick(agencies), rng.pick(purposes)];
  }
  return {
    purpose,
    fromAgency,
    toAgency,
    subject: rng.pick(subjects),
    categories: someCategories(),
    at: day(rng.int(0, 365)),
  };
}
const requests = Array.from({ length: DECISIONS }, randomRequest);

function run(): { p50: number; p99: number; allows: number } {
  const times = new Float64Array(requests.length);
  let allows = 0;
  for (let i = 0; i < requests.length; i += 1) {
    const t0 = process.hrtime.bigint();
    const d = engine.decide(requests[i]!);
    times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    if (d.decision === 'allow') allows += 1;
  }
  times.sort();
  return { p50: times[Math.floor(times.length * 0.5)]!, p99: times[Math.floor(times.length * 0.99)]!, allows };
}

progress('decide: warming up');
run();
const p50s: number[] = [];
const p99s: number[] = [];
let allowRate = 0;
for (let r = 1; r <= RUNS; r += 1) {
  const { p50, p99, allows } = run();
  p50s.push(p50);
  p99s.push(p99);
  allowRate = allows / requests.length;
  progress(`decide: run ${r}/${RUNS}: p50 ${(p50 * 1000).toFixed(1)} µs, p99 ${(p99 * 1000).toFixed(1)} µs`);
}

console.log(
  JSON.stringify({
    agreements: engine.agreementCount,
    decisions: DECISIONS,
    p50Ms: Number(median(p50s).toFixed(4)),
    p99Ms: Number(median(p99s).toFixed(4)),
    runs: RUNS,
    consents: consents.length,
    buildMs: Math.round(buildMs),
    allowRate: Number(allowRate.toFixed(3)),
  }),
);
