import { DEFAULT_NEED_CODES } from '@joinedup/core';
import { validateRecord } from '../records/record-validator.js';
import { mapPersonResource, rolesOf } from './fhir-patient.mapper.js';
import { fieldIssues } from './operation-outcome.js';

const patient = {
  resourceType: 'Patient',
  id: 'p-1',
  meta: { versionId: '4' },
  identifier: [
    { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' },
    { system: 'https://gp.example/id', value: 'GP-77' },
  ],
  name: [
    { use: 'official', family: 'Okafor', given: ['Amelia', 'Grace'], prefix: ['Miss'] },
    { use: 'maiden', family: 'Bright' },
  ],
  gender: 'female',
  birthDate: '2014-03-09',
  address: [{ line: ['12 Mill Lane'], city: 'Northmoor', postalCode: 'LS1 4AP', period: { start: '2020-01-01' } }],
  telecom: [{ system: 'phone', value: '0113 496 0000' }],
};
const context = { needCodes: new Set<string>(DEFAULT_NEED_CODES), today: '2026-11-24' };

describe('FHIR Patient mapping', () => {
  it('maps a UK Core Patient to a valid canonical record', () => {
    const { input } = mapPersonResource(patient, 'p-1');
    expect(input).toEqual({
      externalId: 'p-1',
      version: 4,
      name: { given: 'Amelia', middle: 'Grace', family: 'Okafor', title: 'Miss' },
      otherNames: [{ kind: 'birth', family: 'Bright' }],
      birthDate: '2014-03-09',
      sex: 'female',
      identifiers: [
        { system: 'nhs-number', value: '9434765919' },
        { system: 'local', localSystem: 'https://gp.example/id', value: 'GP-77' },
      ],
      addresses: [{ lines: ['12 Mill Lane'], locality: 'Northmoor', postcode: 'LS1 4AP', from: '2020-01-01' }],
      contacts: [{ kind: 'phone', value: '0113 496 0000' }],
      categories: ['identity', 'address', 'contact'],
    });
    expect(validateRecord(input, context).ok).toBe(true);
  });

  it('reports canonical errors at FHIRPath expressions', () => {
    const { input, paths } = mapPersonResource({ ...patient, meta: {}, birthDate: '2014-02-30' }, 'p-1');
    const result = validateRecord(input, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issues = fieldIssues(result.errors, paths, 'error');
    expect(issues.map((i) => i.expression?.[0]).sort()).toEqual(['Patient.birthDate', 'Patient.meta.versionId']);
  });

  it('turns RelatedPerson relationships into household roles', () => {
    expect(rolesOf(['MTH'])).toEqual({ related: 'parent', patient: 'child' });
    expect(rolesOf(['GUARD'])).toEqual({ related: 'carer', patient: 'child' });
    expect(rolesOf(['DAU'])).toEqual({ related: 'child', patient: 'parent' });
    expect(rolesOf(['FRND'])).toEqual({ related: 'other-adult', patient: 'other-adult' });
  });
});
