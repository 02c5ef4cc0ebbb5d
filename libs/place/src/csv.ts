import type { CanonicalRecordLine } from '@joinedup/core';

export const CSV_HEADER =
  'external_id,given_name,middle_name,family_name,other_family_name,birth_date,sex,nhs_number,upn,ni_number,address_line1,address_line2,locality,postcode,uprn,household_ref,household_role,involvement_status,worker,team,needs';

/** RFC 4180: quote when a field holds a comma, quote or line break; double inner quotes. */
export function csvField(value: string | undefined): string {
  if (value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One agency extract row, the shape the linkage dry run reads (config/linkage/mappings/place.json). */
export function csvRow(r: CanonicalRecordLine): string {
  const id = (system: string) => r.identifiers?.find((i) => i.system === system)?.value;
  const address = r.addresses?.[0];
  return [
    r.externalId,
    r.name.given,
    r.name.middle,
    r.name.family,
    r.otherNames?.find((o) => o.family)?.family,
    r.birthDate,
    r.sex,
    id('nhs-number'),
    id('upn'),
    id('ni-number'),
    address?.lines[0],
    address?.lines[1],
    address?.locality,
    address?.postcode,
    address?.uprn,
    r.household?.reference,
    r.household?.role,
    r.involvement?.status,
    r.involvement?.worker,
    r.involvement?.team,
    r.needs?.join(';'),
  ]
    .map(csvField)
    .join(',');
}
