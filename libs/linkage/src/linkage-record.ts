import { type CanonicalRecord, isValidNhsNumber, isValidNiNumber, isValidPostcode, isValidUpn } from '@joinedup/core';

/**
 * The engine's flat view of one source record. The CSV mapping and the service both fill it; only
 * values fit for matching go in (invalid identifiers are left out by the caller or by `fromCanonical`).
 */
export interface LinkageRecord {
  /** Unique within one run, e.g. `agency/externalId`. */
  id: string;
  /** The source (agency or file). */
  source: string;
  given?: string;
  middle?: string;
  family?: string;
  otherFamilies?: string[];
  birthDate?: string;
  sex?: string;
  nhs?: string;
  ni?: string;
  upn?: string;
  /** Any other national identifier (FEBRL's soc_sec_id, for example). */
  identifier?: string;
  postcode?: string;
  uprn?: string;
  addressLines?: string[];
  locality?: string;
  email?: string;
  householdRef?: string;
  householdRole?: string;
}

/**
 * Parts of a canonical record that `fromCanonical` never reads: a batch leaves them in PostgreSQL
 * (about a third of a record's JSON, parsed a million times for nothing). Using one of them for matching
 * means taking it out of this list (a test holds the two together).
 */
export const UNMATCHED_RECORD_FIELDS = ['version', 'involvement', 'needs', 'categories'] as const;

/** The canonical record of intake -> the engine's view. Current address only; invalid identifiers dropped. */
export function fromCanonical(
  agency: string,
  record: CanonicalRecord,
  invalidFields: readonly string[] = [],
): LinkageRecord {
  const valid = (path: string) => !invalidFields.includes(path);
  const id = (system: string, check: (v: string) => boolean) => {
    const index = record.identifiers?.findIndex((i) => i.system === system) ?? -1;
    const value = index >= 0 ? record.identifiers![index]!.value : undefined;
    return value && valid(`identifiers[${index}].value`) && check(value)
      ? value.replace(/\s/g, '').toUpperCase()
      : undefined;
  };
  const addressIndex = Math.max(0, record.addresses?.findIndex((a) => !a.to) ?? 0);
  const address = record.addresses?.[addressIndex];
  const postcode =
    address?.postcode && valid(`addresses[${addressIndex}].postcode`) && isValidPostcode(address.postcode)
      ? address.postcode
      : undefined;
  return {
    id: `${agency}/${record.externalId}`,
    source: agency,
    given: record.name.given,
    middle: record.name.middle,
    family: record.name.family,
    otherFamilies: record.otherNames?.map((o) => o.family).filter((f): f is string => Boolean(f)),
    birthDate: record.birthDate,
    sex: record.sex,
    nhs: id('nhs-number', isValidNhsNumber),
    ni: id('ni-number', isValidNiNumber),
    upn: id('upn', isValidUpn),
    postcode,
    uprn: address?.uprn && valid(`addresses[${addressIndex}].uprn`) ? address.uprn : undefined,
    addressLines: address?.lines,
    locality: address?.locality,
    email: record.contacts?.find((c) => c.kind === 'email')?.value,
    householdRef: record.household ? `${agency}/${record.household.reference}` : undefined,
    householdRole: record.household?.role,
  };
}
