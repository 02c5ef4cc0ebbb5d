import { doubleMetaphone } from 'double-metaphone';
import type { LinkageRecord } from './linkage-record.js';
import { nicknameGroups } from './nicknames.js';
import {
  addressTokens,
  compactName,
  type DateParts,
  nameTokens,
  normaliseName,
  parseDate,
  postcodeParts,
} from './normalise.js';

/**
 * Everything the comparisons need, computed once per record (never per pair). Plain data: the service
 * stores it as JSON beside the record.
 */
export interface Prepared {
  id: string;
  source: string;
  given: string;
  givenMeta: string[];
  givenGroups: readonly number[];
  middle: string;
  family: string;
  familyCompact: string;
  familyTokens: string[];
  familyMeta: string[];
  otherFamilies: string[];
  dob: DateParts | null;
  nhs: string;
  ni: string;
  upn: string;
  identifier: string;
  postcode: string;
  outward: string;
  sector: string;
  uprn: string;
  address: string[];
  addressNumber: string;
  locality: string;
  email: string;
  emailLocal: string;
  householdRef: string;
  sex: string;
}

/** The first address token that is a house number ("14", "14b"), or ''. */
export const houseNumber = (address: readonly string[]): string => address.find((t) => /^\d+[a-z]?$/.test(t)) ?? '';

/** What comes before the @ of an email address. */
export const emailLocalPart = (email: string): string => email.split('@')[0] ?? '';

function metaphones(name: string): string[] {
  if (!name) return [];
  const [primary, secondary] = doubleMetaphone(compactName(name));
  return primary === secondary ? [primary] : [primary, secondary];
}

export function prepareRecord(r: LinkageRecord): Prepared {
  const given = normaliseName(r.given);
  const family = normaliseName(r.family);
  const address = addressTokens(r.addressLines ?? []);
  const pc = postcodeParts(r.postcode);
  const email = (r.email ?? '').trim().toLowerCase();
  return {
    id: r.id,
    source: r.source,
    given,
    givenMeta: metaphones(given.split(/[\s-]/)[0] ?? ''),
    givenGroups: nicknameGroups(given),
    middle: normaliseName(r.middle),
    family,
    familyCompact: compactName(family),
    familyTokens: nameTokens(family),
    familyMeta: metaphones(family),
    otherFamilies: (r.otherFamilies ?? []).map((f) => compactName(normaliseName(f))).filter(Boolean),
    dob: parseDate(r.birthDate),
    nhs: (r.nhs ?? '').replace(/\s/g, ''),
    ni: (r.ni ?? '').replace(/\s/g, '').toUpperCase(),
    upn: (r.upn ?? '').toUpperCase(),
    identifier: (r.identifier ?? '').replace(/\s/g, ''),
    postcode: pc?.full ?? '',
    outward: pc?.outward ?? '',
    sector: pc?.sector ?? '',
    uprn: r.uprn ?? '',
    address,
    addressNumber: houseNumber(address),
    locality: normaliseName(r.locality),
    email,
    emailLocal: emailLocalPart(email),
    householdRef: r.householdRef ?? '',
    sex: ['male', 'female', 'm', 'f'].includes((r.sex ?? '').toLowerCase()) ? (r.sex ?? '').toLowerCase()[0]! : '',
  };
}
