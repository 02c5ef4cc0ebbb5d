import { CSC, HEALTH, POLICE, anAgreement, at } from './agreement.fixture.js';
import { simulate, type PopulationCell, type PopulationSummary } from './simulate.js';

const cell = (
  from: string,
  to: string,
  category: PopulationCell['category'],
  consent: PopulationCell['consent'],
  persons: number,
  records: number,
  purpose = 'case-coordination',
): PopulationCell => ({ from, to, purpose, consent, category, persons, records });

const population: PopulationSummary = {
  cells: [
    cell(POLICE, CSC, 'identity', 'none', 100, 140),
    cell(POLICE, CSC, 'identity', 'given', 20, 30),
    cell(POLICE, CSC, 'identity', 'refused', 5, 6),
    cell(POLICE, CSC, 'needs', 'none', 40, 45),
    cell(POLICE, CSC, 'needs', 'given', 10, 12),
    cell(HEALTH, CSC, 'health', 'none', 70, 90),
    cell(HEALTH, CSC, 'health', 'given', 30, 33),
    cell(CSC, CSC, 'identity', 'none', 500, 500),
  ],
};

describe('simulate', () => {
  it('counts what a new agreement would start sharing', () => {
    const draft = anAgreement({
      id: 'dsa-new',
      status: 'draft',
      flows: [{ from: POLICE, to: CSC, categories: ['needs'] }],
    });
    const result = simulate(draft, [anAgreement()], population);
    expect(result.replaces).toBeNull();
    expect(result.problems).toEqual([]);
    expect(result.starts).toEqual([
      { purpose: 'case-coordination', from: POLICE, to: CSC, category: 'needs', persons: 50, records: 57 },
    ]);
    expect(result.stops).toEqual([]);
    expect(result.summary).toEqual([
      'leeds-police -> leeds-csc for case-coordination: needs about 50 person(s) (57 record(s)) would start to flow.',
    ]);
  });

  it('counts only persons who consented when the agreement needs consent', () => {
    const draft = anAgreement({ id: 'dsa-new', status: 'draft', consentRule: 'explicit-consent' });
    const result = simulate(draft, [], population);
    expect(result.starts.find((r) => r.category === 'identity')).toMatchObject({ persons: 20, records: 30 });
  });

  it('shows what a new version would stop sharing', () => {
    const current = anAgreement();
    const draft = anAgreement({ version: 5, status: 'draft', consentRule: 'explicit-consent' });
    const result = simulate(draft, [current], population);
    expect(result.replaces).toEqual({ id: 'dsa-early-help', version: 4 });
    expect(result.starts).toEqual([]);
    expect(result.stops).toEqual([
      { purpose: 'case-coordination', from: POLICE, to: CSC, category: 'identity', persons: 105, records: 146 },
    ]);
  });

  it('changes nothing when another active agreement already covers the flow', () => {
    const result = simulate(anAgreement({ id: 'dsa-copy', status: 'draft' }), [anAgreement()], population);
    expect(result.starts).toEqual([]);
    expect(result.stops).toEqual([]);
    expect(result.summary).toEqual(['Nothing would start or stop flowing.']);
  });

  it('starts no special category data without an Article 9 condition, and says why', () => {
    const draft = anAgreement({
      id: 'dsa-health',
      status: 'draft',
      parties: [CSC, HEALTH],
      flows: [{ from: HEALTH, to: CSC, categories: ['health'] }],
      lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
    });
    const result = simulate(draft, [], population);
    expect(result.starts).toEqual([]);
    expect(result.problems.join('\n')).toMatch(/needs a UK GDPR Article 9 condition/);
  });

  it('lets an override reach everyone only while it lasts', () => {
    const draft = anAgreement({
      id: 'dsa-override',
      status: 'draft',
      consentRule: 'safeguarding-override',
      override: { justification: 'Section 47 enquiry', expiresAt: at('2025-03-01') },
      flows: [{ from: POLICE, to: CSC, categories: ['needs'] }],
    });
    expect(simulate(draft, [], population, { at: at('2025-02-01') }).starts[0]).toMatchObject({ persons: 50 });
    expect(simulate(draft, [], population, { at: at('2025-04-01') }).starts[0]).toMatchObject({ persons: 10 });
  });

  it('ignores agreements that are not active', () => {
    const draft = anAgreement({
      id: 'dsa-new',
      status: 'draft',
      flows: [{ from: POLICE, to: CSC, categories: ['needs'] }],
    });
    const suspended = anAgreement({ id: 'dsa-old', status: 'suspended', flows: draft.flows });
    expect(simulate(draft, [suspended], population).starts).toMatchObject([{ category: 'needs', persons: 50 }]);
  });
});
