/**
 * Format and check-digit rules for UK identifiers. A value that fails is kept out of matching and
 * reported as a warning; it never rejects the record (agencies do hold mistyped numbers).
 */

/** NHS number: 10 digits, modulus 11 over the first nine with weights 10..2; 11 -> 0, 10 -> invalid. */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

export function normaliseNhsNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

const NI_PREFIX_BANNED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** National Insurance number: two letters (not D F I Q U V; O not second; not BG GB KN NK NT TN ZZ), six digits, A-D. */
export function isValidNiNumber(value: string): boolean {
  const ni = value.replace(/\s/g, '').toUpperCase();
  const match = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$/.exec(ni);
  return match !== null && !NI_PREFIX_BANNED.has(match[1]! + match[2]!);
}

/** Unique pupil number: 13 characters, a check letter then 12 characters (digits, last may be a letter). */
export function isValidUpn(value: string): boolean {
  const upn = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(upn)) return false;
  const letters = 'ABCDEFGHJKLMNPQRTUVWXYZ';
  let sum = 0;
  for (let i = 1; i < 13; i += 1) {
    const ch = upn[i]!;
    const value = /\d/.test(ch) ? Number(ch) : letters.indexOf(ch);
    sum += value * (i + 1);
  }
  return letters[sum % 23] === upn[0];
}

/** UK postcode, normalised to upper case with one space before the inward code. */
export function normalisePostcode(value: string): string {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

const POSTCODE =
  /^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2})$/;

export function isValidPostcode(value: string): boolean {
  return POSTCODE.test(normalisePostcode(value));
}

/** UPRN: up to 12 digits, no leading zero. */
export function isValidUprn(value: string): boolean {
  return /^[1-9]\d{0,11}$/.test(value);
}
