import {
  type CanonicalRecord,
  DATA_CATEGORIES,
  HOUSEHOLD_ROLES,
  IDENTIFIER_SYSTEMS,
  isValidNhsNumber,
  isValidNiNumber,
  isValidPostcode,
  isValidUpn,
  isValidUprn,
  OTHER_NAME_KINDS,
  SEXES,
} from '@joinedup/core';

/** One problem with one field. Reasons never echo the value: it may be personal data. */
export interface FieldIssue {
  field: string;
  reason: string;
}

export type ValidationResult =
  | { ok: true; record: CanonicalRecord; warnings: FieldIssue[]; invalidFields: string[] }
  | { ok: false; errors: FieldIssue[] };

export interface ValidationContext {
  /** Need codes accepted (config/needs.json). */
  needCodes: ReadonlySet<string>;
  /** Today as YYYY-MM-DD: dates of birth after it are impossible. Passed in, never read from a clock here. */
  today: string;
}

const TOP_LEVEL = new Set([
  'externalId',
  'version',
  'name',
  'otherNames',
  'birthDate',
  'birthDateUncertain',
  'sex',
  'identifiers',
  'addresses',
  'contacts',
  'household',
  'involvement',
  'needs',
  'categories',
]);
const EXTERNAL_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PARTIAL_DATE = /^(\d{4})(?:-(\d{2}))?$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Structural checks reject the record; identifier check digits and formats only warn. */
export function validateRecord(input: unknown, context: ValidationContext): ValidationResult {
  const errors: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const invalidFields: string[] = [];
  const err = (field: string, reason: string): void => void errors.push({ field, reason });

  if (!isObj(input)) return { ok: false, errors: [{ field: '(record)', reason: 'must be a JSON object' }] };
  for (const key of Object.keys(input)) if (!TOP_LEVEL.has(key)) err(key, 'is not a field of a record');

  const str = (v: unknown, field: string, max: number, required = false): string | undefined => {
    if (v === undefined || v === null) {
      if (required) err(field, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') return void err(field, 'must be a string');
    if (v.trim().length === 0) return void err(field, required ? 'is required' : 'must not be empty');
    if (v.length > max) return void err(field, `must be at most ${max} characters`);
    return v;
  };
  const oneOf = (v: unknown, field: string, allowed: readonly string[], required = false): void => {
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || !allowed.includes(v)) err(field, `must be one of ${allowed.join(', ')}`);
  };
  const keys = (v: Obj, field: string, allowed: readonly string[]): void => {
    for (const key of Object.keys(v)) if (!allowed.includes(key)) err(`${field}.${key}`, 'is not a known field');
  };
  const arr = (v: unknown, field: string, max: number): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      err(field, 'must be an array');
      return [];
    }
    if (v.length > max) {
      err(field, `must have at most ${max} entries`);
      return [];
    }
    return v;
  };
  const date = (v: unknown, field: string): void => {
    if (v === undefined) return;
    if (typeof v !== 'string' || !isRealDate(v)) err(field, 'must be a real date as YYYY-MM-DD');
  };

  if (typeof input.externalId !== 'string' || !EXTERNAL_ID.test(input.externalId)) {
    err('externalId', 'is required: 1-128 characters of A-Z a-z 0-9 . _ : -');
  }
  if (!Number.isInteger(input.version) || (input.version as number) < 1 || (input.version as number) > 2 ** 31 - 1) {
    err('version', 'is required: a whole number from 1');
  }

  if (!isObj(input.name)) err('name', 'is required: an object with given and family');
  else {
    keys(input.name, 'name', ['given', 'family', 'middle', 'title']);
    str(input.name.given, 'name.given', 100, true);
    str(input.name.family, 'name.family', 100, true);
    str(input.name.middle, 'name.middle', 100);
    str(input.name.title, 'name.title', 30);
  }
  arr(input.otherNames, 'otherNames', 20).forEach((o, i) => {
    const f = `otherNames[${i}]`;
    if (!isObj(o)) return err(f, 'must be an object');
    keys(o, f, ['kind', 'given', 'family']);
    oneOf(o.kind, `${f}.kind`, OTHER_NAME_KINDS, true);
    str(o.given, `${f}.given`, 100);
    str(o.family, `${f}.family`, 100);
    if (o.given === undefined && o.family === undefined) err(f, 'needs given or family');
  });

  if (input.birthDate !== undefined) {
    const b = input.birthDate;
    if (typeof b !== 'string' || !(isRealDate(b) || PARTIAL_DATE.test(b))) {
      err('birthDate', 'must be a real date as YYYY-MM-DD, or partial YYYY-MM or YYYY');
    } else if (Number(b.slice(0, 4)) < 1880 || b.slice(0, 10) > context.today) {
      err('birthDate', 'must be between 1880 and today');
    } else if (PARTIAL_DATE.test(b) && b.length === 7 && !/^\d{4}-(0[1-9]|1[0-2])$/.test(b)) {
      err('birthDate', 'month must be 01-12');
    }
  }
  if (input.birthDateUncertain !== undefined && typeof input.birthDateUncertain !== 'boolean') {
    err('birthDateUncertain', 'must be true or false');
  }
  oneOf(input.sex, 'sex', SEXES);

  arr(input.identifiers, 'identifiers', 20).forEach((id, i) => {
    const f = `identifiers[${i}]`;
    if (!isObj(id)) return err(f, 'must be an object');
    keys(id, f, ['system', 'value', 'localSystem']);
    oneOf(id.system, `${f}.system`, IDENTIFIER_SYSTEMS, true);
    const value = str(id.value, `${f}.value`, 64, true);
    if (id.system === 'local') str(id.localSystem, `${f}.localSystem`, 64, true);
    else if (id.localSystem !== undefined) err(`${f}.localSystem`, 'is only for local identifiers');
    if (value === undefined) return;
    const check = { 'nhs-number': isValidNhsNumber, 'ni-number': isValidNiNumber, upn: isValidUpn }[
      id.system as string
    ];
    if (check && !check(value)) {
      warnings.push({
        field: `${f}.value`,
        reason: `is not a valid ${String(id.system)} (format or check digit); kept out of matching`,
      });
      invalidFields.push(`${f}.value`);
    }
  });

  arr(input.addresses, 'addresses', 20).forEach((a, i) => {
    const f = `addresses[${i}]`;
    if (!isObj(a)) return err(f, 'must be an object');
    keys(a, f, ['lines', 'locality', 'postcode', 'uprn', 'from', 'to']);
    const lines = arr(a.lines, `${f}.lines`, 6);
    if (a.lines === undefined) err(`${f}.lines`, 'is required');
    lines.forEach((line, j) => str(line, `${f}.lines[${j}]`, 200, true));
    str(a.locality, `${f}.locality`, 100);
    const postcode = str(a.postcode, `${f}.postcode`, 16);
    if (postcode !== undefined && !isValidPostcode(postcode)) {
      warnings.push({ field: `${f}.postcode`, reason: 'is not a valid UK postcode; kept out of matching' });
      invalidFields.push(`${f}.postcode`);
    }
    const uprn = str(a.uprn, `${f}.uprn`, 12 + 4);
    if (uprn !== undefined && !isValidUprn(uprn)) {
      warnings.push({ field: `${f}.uprn`, reason: 'is not a valid UPRN (up to 12 digits); kept out of matching' });
      invalidFields.push(`${f}.uprn`);
    }
    date(a.from, `${f}.from`);
    date(a.to, `${f}.to`);
    if (typeof a.from === 'string' && typeof a.to === 'string' && a.to < a.from)
      err(`${f}.to`, 'must not be before from');
  });

  arr(input.contacts, 'contacts', 10).forEach((c, i) => {
    const f = `contacts[${i}]`;
    if (!isObj(c)) return err(f, 'must be an object');
    keys(c, f, ['kind', 'value']);
    oneOf(c.kind, `${f}.kind`, ['phone', 'email'], true);
    str(c.value, `${f}.value`, 200, true);
  });

  if (input.household !== undefined) {
    if (!isObj(input.household)) err('household', 'must be an object');
    else {
      keys(input.household, 'household', ['reference', 'role']);
      str(input.household.reference, 'household.reference', 128, true);
      oneOf(input.household.role, 'household.role', HOUSEHOLD_ROLES, true);
    }
  }
  if (input.involvement !== undefined) {
    const inv = input.involvement;
    if (!isObj(inv)) err('involvement', 'must be an object');
    else {
      keys(inv, 'involvement', ['status', 'worker', 'team', 'since', 'until']);
      oneOf(inv.status, 'involvement.status', ['open', 'closed'], true);
      str(inv.worker, 'involvement.worker', 128);
      str(inv.team, 'involvement.team', 128);
      date(inv.since, 'involvement.since');
      date(inv.until, 'involvement.until');
    }
  }
  arr(input.needs, 'needs', 30).forEach((code, i) => {
    if (typeof code !== 'string' || !context.needCodes.has(code)) err(`needs[${i}]`, 'is not a known need code');
  });
  arr(input.categories, 'categories', DATA_CATEGORIES.length).forEach((c, i) =>
    oneOf(c, `categories[${i}]`, DATA_CATEGORIES, true),
  );

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, record: input as unknown as CanonicalRecord, warnings, invalidFields };
}

/** YYYY-MM-DD that exists in the calendar (2021-02-30 does not). */
export function isRealDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
