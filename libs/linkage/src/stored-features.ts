import { nicknameGroups } from './nicknames.js';
import { emailLocalPart, houseNumber, type Prepared } from './features.js';
import { compactName, nameTokens, postcodeParts } from './normalise.js';

/**
 * A record's prepared features as the service stores them beside the record: the values in a fixed
 * order, without field names, and without the fields that are a cheap function of another (the compact
 * family name, its tokens, postcode outward and sector, house number, email local part, nickname
 * groups), which are derived again on reading. A third of the size of the named form: the batch writes
 * a million of them and every incremental lookup reads about thirty.
 *
 * Positions are part of the stored format: append new fields at the end, never reorder (a migration
 * rewrites stored rows when the format changes; see StoreLinkageFeaturesCompactly).
 */
export type StoredFeatures = [
  id: string,
  source: string,
  given: string,
  givenMeta: string[],
  middle: string,
  family: string,
  familyMeta: string[],
  otherFamilies: string[],
  dob: [number, number, number] | null,
  nhs: string,
  ni: string,
  upn: string,
  identifier: string,
  postcode: string,
  uprn: string,
  address: string[],
  locality: string,
  email: string,
  householdRef: string,
  sex: string,
];

export function toStored(p: Prepared): StoredFeatures {
  return [
    p.id,
    p.source,
    p.given,
    p.givenMeta,
    p.middle,
    p.family,
    p.familyMeta,
    p.otherFamilies,
    p.dob ? [p.dob.y, p.dob.m, p.dob.d] : null,
    p.nhs,
    p.ni,
    p.upn,
    p.identifier,
    p.postcode,
    p.uprn,
    p.address,
    p.locality,
    p.email,
    p.householdRef,
    p.sex,
  ];
}

export function fromStored(s: StoredFeatures): Prepared {
  const [id, source, given, givenMeta, middle, family, familyMeta, otherFamilies, dob, nhs, ni, upn] = s;
  const [identifier, postcode, uprn, address, locality, email, householdRef, sex] = s.slice(12) as [
    string,
    string,
    string,
    string[],
    string,
    string,
    string,
    string,
  ];
  const pc = postcodeParts(postcode);
  return {
    id,
    source,
    given,
    givenMeta,
    givenGroups: nicknameGroups(given),
    middle,
    family,
    familyCompact: compactName(family),
    familyTokens: nameTokens(family),
    familyMeta,
    otherFamilies,
    dob: dob ? { y: dob[0], m: dob[1], d: dob[2] } : null,
    nhs,
    ni,
    upn,
    identifier,
    postcode,
    outward: pc?.outward ?? '',
    sector: pc?.sector ?? '',
    uprn,
    address,
    addressNumber: houseNumber(address),
    locality,
    email,
    emailLocal: emailLocalPart(email),
    householdRef,
    sex,
  };
}
