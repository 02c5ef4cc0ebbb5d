import { CSC, HEALTH, POLICE, anAgreement } from './agreement.fixture.js';
import { redactRecord } from './record-categories.js';
import {
  erasureAnswer,
  exemptCategoriesOf,
  exemptionOfDisclosure,
  recordOfProcessing,
  releasableCategories,
  subjectAccessExemptions,
} from './subject-rights.js';

const consentBased = anAgreement({
  id: 'dsa-voluntary',
  parties: [CSC, HEALTH],
  flows: [{ from: HEALTH, to: CSC, categories: ['identity', 'contact'] }],
  lawfulBasis: { article6: 'consent', gateway: 'consent of the family' },
  consentRule: 'explicit-consent',
});
const policeEnquiry = anAgreement({
  exemptions: { subjectAccess: ['criminal-offence'], note: 'police enquiry: DPA 2018 Sch 2 para 2' },
});

describe('erasureAnswer', () => {
  it('refuses erasure while a public-task agreement holds the agency’s records, naming it', () => {
    const answer = erasureAnswer([anAgreement(), consentBased], CSC);
    expect(answer).toMatchObject({ outcome: 'refused', agreements: [{ id: 'dsa-early-help', version: 4 }] });
    expect(answer.reasons[0]).toMatch(/public-task .*Art 17\(3\)\(b\)/);
  });

  it('refuses under legal obligation too, and counts suspended agreements', () => {
    const legal = anAgreement({ status: 'suspended', lawfulBasis: { article6: 'legal-obligation', gateway: 'x' } });
    expect(erasureAnswer([legal], POLICE).outcome).toBe('refused');
  });

  it('allows erasure where every agreement in force rests on consent, or none holds the records', () => {
    expect(erasureAnswer([consentBased], HEALTH)).toEqual({
      outcome: 'allowed',
      reasons: ['agreement dsa-voluntary v4 rests on consent: erasure applies'],
    });
    expect(erasureAnswer([anAgreement({ status: 'retired' })], CSC).outcome).toBe('allowed');
    expect(erasureAnswer([anAgreement()], HEALTH).outcome).toBe('allowed');
  });
});

describe('subject access exemptions', () => {
  const exemptions = subjectAccessExemptions([
    policeEnquiry,
    consentBased,
    anAgreement({ id: 'draft', status: 'draft', exemptions: policeEnquiry.exemptions }),
  ]);

  it('come from agreements that had force, and cover the agencies that disclose under them', () => {
    expect(exemptions).toEqual([
      {
        agreement: { id: 'dsa-early-help', version: 4 },
        disclosers: [POLICE, CSC],
        categories: ['criminal-offence'],
        note: 'police enquiry: DPA 2018 Sch 2 para 2',
      },
    ]);
    expect(exemptCategoriesOf(exemptions, HEALTH).categories).toEqual([]);
  });

  it('withhold the exempt parts of a record and let the rest through', () => {
    const { categories } = exemptCategoriesOf(exemptions, POLICE);
    const record = {
      externalId: 'p-1',
      name: { given: 'Ann', family: 'Lee' },
      involvement: [{ status: 'open' }],
      categories: ['criminal-offence' as const],
    } as unknown as Parameters<typeof redactRecord>[0];
    const { fields, withheld } = redactRecord(record, releasableCategories(categories));
    expect(fields).toEqual({ externalId: 'p-1', name: { given: 'Ann', family: 'Lee' } });
    expect(withheld.sort()).toEqual(['criminal-offence', 'involvement']);
  });

  it('withhold disclosures under the exempting agreement that touched an exempt category only', () => {
    const ref = { id: 'dsa-early-help', version: 4 };
    expect(exemptionOfDisclosure(exemptions, ref, ['identity', 'criminal-offence'])?.agreement).toEqual(ref);
    expect(exemptionOfDisclosure(exemptions, ref, ['identity'])).toBeNull();
    expect(exemptionOfDisclosure(exemptions, { id: 'dsa-voluntary' }, ['criminal-offence'])).toBeNull();
    expect(exemptionOfDisclosure(exemptions, null, ['criminal-offence'])).toBeNull();
  });
});

describe('recordOfProcessing', () => {
  it('lists agreements in force with controllers, purposes, categories, recipients, basis and retention', () => {
    const ropa = recordOfProcessing([policeEnquiry, consentBased, anAgreement({ id: 'old', status: 'expired' })], {
      withdrawnDays: 30,
    });
    expect(ropa.map((a) => a.agreement.id)).toEqual(['dsa-early-help', 'dsa-voluntary']);
    expect(ropa[0]).toMatchObject({
      controllers: [CSC, POLICE].sort(),
      purposes: ['case-coordination', 'safeguarding'],
      categories: ['address', 'criminal-offence', 'identity', 'involvement'],
      specialCategories: ['criminal-offence'],
      recipients: [
        { agency: CSC, from: POLICE, categories: ['identity', 'address', 'involvement', 'criminal-offence'] },
        { agency: POLICE, from: CSC, categories: ['identity', 'involvement'] },
      ],
      lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
      subjectAccessExemptions: { categories: ['criminal-offence'] },
    });
    expect(ropa[0]!.retention).toMatch(/after 30 days/);
  });
});
