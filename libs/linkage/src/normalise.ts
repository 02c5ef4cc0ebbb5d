const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'rev', 'sir', 'dame', 'lady', 'lord', 'fr']);
const SUFFIXES = new Set(['jr', 'jnr', 'junior', 'sr', 'snr', 'senior', 'ii', 'iii', 'iv']);

/** Printable ASCII and whitespace: unchanged by NFKD and by every replacement below but case. */
const ASCII = /^[\t\n\r -~]*$/;

/** Unicode folding: decomposed, diacritics dropped, lower case, ß -> ss, ł -> l, æ -> ae, ø -> o. */
export function fold(value: string): string {
  // Plain ASCII (most names and addresses) is its own decomposition: lower case is all it needs.
  if (ASCII.test(value)) return value.toLowerCase();
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/đ/g, 'd');
}

/** A name reduced to comparable form: folded, punctuation gone, titles and suffixes dropped. */
export function normaliseName(value: string | undefined): string {
  if (!value) return '';
  const words = fold(value)
    .replace(/['’`.]/g, '')
    .replace(/[^a-z\s-]/g, ' ')
    .split(/[\s]+/)
    .filter((w) => w.length > 0 && !TITLES.has(w) && !SUFFIXES.has(w));
  return words
    .join(' ')
    .replace(/\s*-\s*/g, '-')
    .trim();
}

/** The parts of a hyphenated or double-barrelled surname ("smith-jones" -> smith, jones). */
export function nameTokens(normalised: string): string[] {
  return normalised.split(/[\s-]+/).filter((t) => t.length > 0);
}

/** The name as one comparable string without separators ("van der berg" -> "vanderberg"). */
export function compactName(normalised: string): string {
  return normalised.replace(/[\s-]+/g, '');
}

export interface DateParts {
  y: number;
  m: number;
  d: number;
}

/** Parses YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY and partial YYYY-MM or YYYY (missing parts are 0). */
export function parseDate(value: string | undefined): DateParts | null {
  if (!value) return null;
  const v = value.trim();
  let m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v);
  if (m) return check(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (m) return check(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})(?:-(\d{2}))?$/.exec(v);
  if (m) return { y: Number(m[1]), m: m[2] ? Number(m[2]) : 0, d: 0 };
  return null;
}

function check(y: number, mo: number, d: number): DateParts | null {
  // Corrupted dates (month 13, day 00) keep their parts: a digit error still carries evidence.
  if (y < 1800 || y > 2200 || mo > 31 || d > 31) return null;
  return { y, m: mo, d };
}

/** UK postcode parts: full (no space), outward code, sector (outward + first inward digit). */
export function postcodeParts(value: string | undefined): { full: string; outward: string; sector: string } | null {
  if (!value) return null;
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9]{2,8}$/.test(compact)) return null;
  if (/^\d+$/.test(compact))
    return { full: compact, outward: compact.slice(0, -1) || compact, sector: compact.slice(0, -1) || compact }; // non-UK numeric
  if (compact.length < 5) return { full: compact, outward: compact, sector: compact };
  const outward = compact.slice(0, -3);
  return { full: compact, outward, sector: `${outward}${compact.slice(-3, -2)}` };
}

const ADDRESS_NOISE = new Set(['flat', 'apartment', 'apt', 'unit', 'the', 'of']);
const ADDRESS_ABBREVIATIONS: Record<string, string> = {
  st: 'street',
  rd: 'road',
  ave: 'avenue',
  av: 'avenue',
  ln: 'lane',
  cl: 'close',
  ct: 'court',
  cres: 'crescent',
  dr: 'drive',
  pl: 'place',
  sq: 'square',
  ter: 'terrace',
  terr: 'terrace',
  gdns: 'gardens',
  pk: 'park',
  cct: 'circuit',
  hwy: 'highway',
};

/** An address reduced to comparable tokens: folded, abbreviations expanded, noise words dropped. */
export function addressTokens(lines: (string | undefined)[]): string[] {
  return fold(lines.filter(Boolean).join(' '))
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter((t) => t.length > 0 && !ADDRESS_NOISE.has(t))
    .map((t) => ADDRESS_ABBREVIATIONS[t] ?? t);
}
