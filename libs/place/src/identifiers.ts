import type { Rng } from '@joinedup/core';

/** A valid NHS number (modulus 11 check digit); numbers whose check would be 10 are skipped, as the NHS does. */
export function nhsNumber(rng: Rng): string {
  for (;;) {
    const digits = [rng.int(4, 9), ...Array.from({ length: 8 }, () => rng.int(0, 9))];
    const sum = digits.reduce((s, d, i) => s + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${digits.join('')}${check === 11 ? 0 : check}`;
  }
}

/** The same number with its check digit changed: a realistic keying error the broker must notice. */
export function corruptCheckDigit(nhs: string, rng: Rng): string {
  const last = Number(nhs[9]);
  return `${nhs.slice(0, 9)}${(last + rng.int(1, 9)) % 10}`;
}

const NI_FIRST = 'ABCEGHJKLMNPRSTWXYZ';
const NI_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
const NI_BANNED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

export function niNumber(rng: Rng): string {
  for (;;) {
    const prefix = rng.pick(NI_FIRST.split('')) + rng.pick(NI_SECOND.split(''));
    if (NI_BANNED.has(prefix)) continue;
    return `${prefix}${String(rng.int(0, 999999)).padStart(6, '0')}${rng.pick(['A', 'B', 'C', 'D'])}`;
  }
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** Unique pupil number: check letter, 3-digit LA code (Northmoor: 820), 4-digit school, year, 3-digit serial. */
export function upn(rng: Rng, entryYear: number): string {
  const body = `820${String(rng.int(2000, 2999))}${String(entryYear % 100).padStart(2, '0')}${String(rng.int(0, 999)).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(body[i]) * (i + 2);
  return `${UPN_LETTERS[sum % 23]}${body}`;
}

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Valid-format postcodes in the fictional NM area of Northmoor (NM1-NM9). */
export function postcode(rng: Rng): string {
  return `NM${rng.int(1, 9)} ${rng.int(0, 9)}${rng.pick(INWARD_LETTERS.split(''))}${rng.pick(INWARD_LETTERS.split(''))}`;
}

/** A malformed postcode, as keyed by mistake. */
export function malformedPostcode(rng: Rng): string {
  return rng.pick([
    `NM${rng.int(1, 9)}${rng.int(0, 9)}`,
    `N${rng.int(1, 9)} ${rng.int(0, 9)}CI`,
    `NM ${rng.int(0, 9)}AB`,
  ]);
}

export function uprn(rng: Rng): string {
  return `1000${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}
