import {
  isValidNhsNumber,
  isValidNiNumber,
  isValidPostcode,
  isValidUpn,
  isValidUprn,
  normalisePostcode,
} from '@joinedup/core';

describe('UK identifiers', () => {
  it.each([
    ['9434765919', true], // the NHS Digital example number
    ['943 476 5919', true],
    ['9434765918', false], // wrong check digit
    ['943476591', false], // too short
    ['1000000010', false], // check digit would be 10: never issued
  ])('NHS number %s valid=%s', (value, valid) => {
    expect(isValidNhsNumber(value)).toBe(valid);
  });

  it.each([
    ['AB123456C', true],
    ['ab 12 34 56 c', true],
    ['DA123456A', false], // D is not a valid first letter
    ['AO123456A', false], // O is not a valid second letter
    ['GB123456A', false], // administrative prefix
    ['AB123456E', false], // suffix A-D only
  ])('NI number %s valid=%s', (value, valid) => {
    expect(isValidNiNumber(value)).toBe(valid);
  });

  it.each([
    ['sw1a1aa', 'SW1A 1AA', true],
    ['LS1 4AP', 'LS1 4AP', true],
    ['M1 1AE', 'M1 1AE', true],
    ['QQ1 1AA', 'QQ1 1AA', false], // Q never starts a postcode
    ['LS1 4CP', 'LS1 4CP', false], // C is never in the inward unit
  ])('postcode %s -> %s valid=%s', (value, normal, valid) => {
    expect(normalisePostcode(value)).toBe(normal);
    expect(isValidPostcode(value)).toBe(valid);
  });

  it('checks the UPN check letter', () => {
    // Compute a valid UPN's check letter from its body, then corrupt one digit.
    const letters = 'ABCDEFGHJKLMNPQRTUVWXYZ';
    const body = '820200109001';
    let sum = 0;
    for (let i = 0; i < 12; i += 1) sum += Number(body[i]) * (i + 2);
    const upn = `${letters[sum % 23]}${body}`;
    expect(isValidUpn(upn)).toBe(true);
    expect(isValidUpn(`${upn.slice(0, 5)}${(Number(upn[5]) + 1) % 10}${upn.slice(6)}`)).toBe(false);
    expect(isValidUpn('12345')).toBe(false);
  });

  it('accepts UPRNs of up to 12 digits', () => {
    expect(isValidUprn('100023336956')).toBe(true);
    expect(isValidUprn('0123')).toBe(false);
    expect(isValidUprn('1234567890123')).toBe(false);
  });
});
