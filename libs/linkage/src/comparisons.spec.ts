import { COMPARISONS, prepareRecord, type LinkageRecord } from '@joinedup/linkage';
import { areNicknames } from './nicknames.js';
import { pairLevels } from './scoring.js';
import { damerauLevenshtein, jaroWinkler } from './string-metrics.js';

const base: LinkageRecord = {
  id: 'a',
  source: 's',
  given: 'William',
  family: 'Okafor',
  birthDate: '1980-03-09',
  postcode: 'LS1 4AP',
};
const level = (name: string, a: Partial<LinkageRecord>, b: Partial<LinkageRecord>) =>
  COMPARISONS[name]!.compare(prepareRecord({ ...base, ...a }), prepareRecord({ ...base, id: 'b', ...b }));

describe('string metrics', () => {
  it('Jaro-Winkler and Damerau-Levenshtein give the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(damerauLevenshtein('ca', 'ac')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
  });
});

describe('comparison levels', () => {
  it('given name: exact, nickname, typo, sounds alike, different', () => {
    expect(level('given', {}, {})).toBe(0);
    expect(areNicknames('william', 'bill')).toBe(true);
    expect(level('given', {}, { given: 'Bill' })).toBe(1);
    expect(level('given', {}, { given: 'Liam' })).toBe(1);
    expect(level('given', {}, { given: 'Wiliam' })).toBe(2);
    expect(level('given', { given: 'Stephen' }, { given: 'Steven' })).toBeLessThanOrEqual(3);
    expect(level('given', {}, { given: 'Priya' })).toBe(4);
    expect(level('given', {}, { given: undefined })).toBe(-1);
  });

  it('family name: exact, typo, shared part or previous name, different', () => {
    expect(level('family', {}, { family: 'Okafr' })).toBe(1);
    expect(level('family', { family: 'Okafor-Smith' }, { family: 'Smith' })).toBe(2);
    expect(level('family', { family: 'Bright', otherFamilies: ['Okafor'] }, {})).toBe(2);
    expect(level('family', {}, { family: 'Zielinski' })).toBe(4);
  });

  it('date of birth: exact, day and month swapped, one part, within a year, within ten years, further', () => {
    expect(level('dob', {}, {})).toBe(0);
    expect(level('dob', {}, { birthDate: '1980-09-03' })).toBe(1);
    expect(level('dob', {}, { birthDate: '1980-03-19' })).toBe(2);
    expect(level('dob', {}, { birthDate: '1981-03-20' })).toBe(3);
    expect(level('dob', {}, { birthDate: '1979-11-30' })).toBe(3);
    expect(level('dob', {}, { birthDate: '1975-11-30' })).toBe(4);
    // A parent and a child named after them: decades apart.
    expect(level('dob', {}, { birthDate: '2008-07-21' })).toBe(5);
    expect(level('dob', {}, { birthDate: '1980' })).toBe(3);
  });

  it('home: postcode, street address and town read together, as one fact', () => {
    const home = { addressLines: ['12 Mill Lane'], postcode: 'LS1 4AP', locality: 'Leeds' };
    expect(level('home', home, home)).toBe(0);
    expect(level('home', home, { ...home, uprn: '1', addressLines: ['12 Mill Lane'] })).toBe(0);
    expect(level('home', home, { ...home, postcode: 'LS1 4AX' })).toBe(1);
    expect(level('home', home, { ...home, addressLines: ['12 Mill Lane', 'Headingley'] })).toBe(1);
    expect(level('home', home, { ...home, addressLines: ['3 Park Row'] })).toBe(2);
    expect(level('home', home, { addressLines: ['3 Park Row'], postcode: 'LS1 4XX', locality: 'Leeds' })).toBe(3);
    expect(level('home', home, { addressLines: ['3 Park Row'], postcode: 'LS1 9ZZ', locality: 'Otley' })).toBe(4);
    expect(level('home', home, { addressLines: ['3 Park Row'], postcode: 'M1 1AE', locality: 'Manchester' })).toBe(5);
    expect(level('home', { postcode: undefined }, { postcode: undefined })).toBe(-1);
  });

  it('postcode: exact, sector, district, different', () => {
    expect(level('postcode', {}, { postcode: 'LS1 4AX' })).toBe(1);
    expect(level('postcode', {}, { postcode: 'LS1 9ZZ' })).toBe(2);
    expect(level('postcode', {}, { postcode: 'M1 1AE' })).toBe(3);
  });

  it('identifiers: the same NHS number agrees, two different ones disagree', () => {
    expect(level('nhs', { nhs: '9434765919' }, { nhs: '9434765919' })).toBe(0);
    expect(level('nhs', { nhs: '9434765919' }, { nhs: '4010232137' })).toBe(1);
    expect(level('nhs', { nhs: '9434765919' }, {})).toBe(-1);
  });

  it('street address: same, mostly the same, shares words, different; UPRN decides when both have one', () => {
    const home = { addressLines: ['12 Mill Lane', 'Headingley'] };
    expect(level('address', home, { addressLines: ['12 Mill Ln', 'Headingley'] })).toBe(0);
    expect(level('address', home, { addressLines: ['12 Mill Lane'] })).toBe(1);
    expect(level('address', home, { addressLines: ['40 Headingley Lane'] })).toBe(2);
    expect(level('address', home, { addressLines: ['3 Park Row'] })).toBe(3);
    expect(level('address', { ...home, uprn: '1' }, { addressLines: ['3 Park Row'], uprn: '1' })).toBe(0);
    expect(level('address', { ...home, uprn: '1' }, { ...home, uprn: '2' })).toBe(3);
  });

  it('town: same, nearly the same, different', () => {
    expect(level('locality', { locality: 'Leeds' }, { locality: 'leeds' })).toBe(0);
    expect(level('locality', { locality: 'Huddersfield' }, { locality: 'Hudersfield' })).toBe(1);
    expect(level('locality', { locality: 'Leeds' }, { locality: 'Otley' })).toBe(2);
  });

  it('email: same, same mailbox name or one slip, different', () => {
    expect(level('email', { email: 'A.Okafor@mail.test' }, { email: 'a.okafor@mail.test' })).toBe(0);
    expect(level('email', { email: 'a.okafor@mail.test' }, { email: 'a.okafor@work.test' })).toBe(1);
    expect(level('email', { email: 'a.okafor@mail.test' }, { email: 'a.okafr@mail.test' })).toBe(1);
    expect(level('email', { email: 'a.okafor@mail.test' }, { email: 'zed@else.test' })).toBe(2);
  });

  it('other identifiers: same, one character off, different; NI and UPN exact', () => {
    expect(level('identifier', { identifier: '7535316' }, { identifier: '7535316' })).toBe(0);
    expect(level('identifier', { identifier: '7535316' }, { identifier: '7553316' })).toBe(1);
    expect(level('identifier', { identifier: '7535316' }, { identifier: '1234567' })).toBe(2);
    expect(level('ni', { ni: 'QQ123456C' }, { ni: 'qq 12 34 56 c' })).toBe(0);
    expect(level('upn', { upn: 'A123456789012' }, { upn: 'B123456789012' })).toBe(1);
  });

  it('sex: same, different, or missing when either side does not say', () => {
    expect(level('sex', { sex: 'female' }, { sex: 'F' })).toBe(0);
    expect(level('sex', { sex: 'female' }, { sex: 'male' })).toBe(1);
    expect(level('sex', { sex: 'female' }, {})).toBe(-1);
  });

  it('tries given and family names the other way round', () => {
    const a = prepareRecord(base);
    const b = prepareRecord({ ...base, id: 'b', given: 'Okafor', family: 'William' });
    const pl = pairLevels(a, b, ['given', 'family']);
    expect(pl).toEqual({ levels: [0, 0], swapped: true });
  });
});
