import { addressTokens, compactName, fold, nameTokens, normaliseName, parseDate, postcodeParts } from './normalise.js';

describe('normalisation', () => {
  it('folds Unicode and case', () => {
    expect(fold('Zoë Siân Łukasz Ñuñez Müller')).toBe('zoe sian lukasz nunez muller');
  });

  it('drops titles, suffixes and punctuation', () => {
    expect(normaliseName('Dr. John O’Brien Jr')).toBe('john obrien');
    expect(normaliseName('Mrs  Mary-Anne  Smith')).toBe('mary-anne smith');
  });

  it('splits hyphenated and double-barrelled surnames into parts, and compacts them', () => {
    expect(nameTokens(normaliseName('Smith-Jones'))).toEqual(['smith', 'jones']);
    expect(nameTokens(normaliseName('Van der Berg'))).toEqual(['van', 'der', 'berg']);
    expect(compactName(normaliseName('Van der Berg'))).toBe('vanderberg');
  });

  it('parses full, compact, UK-style and partial dates of birth', () => {
    expect(parseDate('2014-03-09')).toEqual({ y: 2014, m: 3, d: 9 });
    expect(parseDate('20140309')).toEqual({ y: 2014, m: 3, d: 9 });
    expect(parseDate('09/03/2014')).toEqual({ y: 2014, m: 3, d: 9 });
    expect(parseDate('2014-03')).toEqual({ y: 2014, m: 3, d: 0 });
    expect(parseDate('not a date')).toBeNull();
  });

  it('splits UK postcodes into outward code and sector', () => {
    expect(postcodeParts('ls1 4ap')).toEqual({ full: 'LS14AP', outward: 'LS1', sector: 'LS14' });
    expect(postcodeParts('SW1A 1AA')).toEqual({ full: 'SW1A1AA', outward: 'SW1A', sector: 'SW1A1' });
    expect(postcodeParts('')).toBeNull();
  });

  it('reduces addresses to comparable tokens', () => {
    expect(addressTokens(['Flat 2', '12 Mill Ln'])).toEqual(['2', '12', 'mill', 'lane']);
    expect(addressTokens(['12 Mill Lane'])).toEqual(['12', 'mill', 'lane']);
  });
});

describe('fold of plain ASCII', () => {
  it('gives what the full Unicode folding gives, faster', () => {
    // Every printable ASCII character, in and out of words: the fast path must change nothing but case.
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    const slow = (v: string) => fold(`${v}é`).slice(0, -1);
    for (const v of [ascii, 'O’Brien-SMITH', "D'Arcy  Jr.", '14B Park Rd\tFlat 2']) expect(fold(v)).toBe(slow(v));
  });
});
