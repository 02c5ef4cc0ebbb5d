/**
 * The canonical source record: one agency's view of one person.
 * This is the one place the shape is declared. The synthetic place writes it as NDJSON,
 * intake validates it (apps/api), linkage reads it. Change it here and nowhere else.
 */

export const SECTORS = [
  'children-social-care',
  'adult-social-care',
  'health',
  'police',
  'housing',
  'education',
  'employment',
  'probation',
  'voluntary',
] as const;
export type Sector = (typeof SECTORS)[number];

/** Identifier systems the broker understands; `local` ids carry the agency's own system name in `localSystem`. */
export const IDENTIFIER_SYSTEMS = ['nhs-number', 'upn', 'ni-number', 'local'] as const;
export type IdentifierSystem = (typeof IDENTIFIER_SYSTEMS)[number];

/** FHIR UK Core identifier system URIs, mapped to ours at the FHIR boundary. */
export const FHIR_IDENTIFIER_SYSTEMS: Record<string, IdentifierSystem> = {
  'https://fhir.nhs.uk/Id/nhs-number': 'nhs-number',
};

export const HOUSEHOLD_ROLES = ['parent', 'carer', 'child', 'other-adult'] as const;
export type HouseholdRole = (typeof HOUSEHOLD_ROLES)[number];

export const SEXES = ['male', 'female', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const OTHER_NAME_KINDS = ['previous', 'alias', 'birth', 'preferred'] as const;
export type OtherNameKind = (typeof OTHER_NAME_KINDS)[number];

/**
 * Data categories a record can carry. Agreements name categories per direction.
 * `health` and `criminal-offence` are special category / criminal offence data (UK GDPR Art 9 / 10).
 */
export const DATA_CATEGORIES = [
  'identity',
  'contact',
  'address',
  'household',
  'involvement',
  'needs',
  'health',
  'criminal-offence',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];
export const SPECIAL_CATEGORIES: readonly DataCategory[] = ['health', 'criminal-offence'];

/** Default need codes; the configurable list lives in config/needs.json. */
export const DEFAULT_NEED_CODES = [
  'school-attendance',
  'domestic-abuse',
  'mental-health',
  'substance-misuse',
  'housing',
  'worklessness',
  'crime',
  'child-in-need',
  'child-protection',
  'health',
] as const;

export interface PersonName {
  given: string;
  family: string;
  middle?: string;
  title?: string;
}

export interface OtherName {
  kind: OtherNameKind;
  given?: string;
  family?: string;
}

export interface RecordIdentifier {
  system: IdentifierSystem;
  value: string;
  /** For `local` identifiers: the agency system that issued it, e.g. `mosaic`. */
  localSystem?: string;
}

export interface RecordAddress {
  lines: string[];
  locality?: string;
  postcode?: string;
  uprn?: string;
  /** ISO dates (YYYY-MM-DD); an address with no `to` is current. */
  from?: string;
  to?: string;
}

export interface RecordContact {
  kind: 'phone' | 'email';
  value: string;
}

export interface RecordHousehold {
  /** The agency's own family or household reference. */
  reference: string;
  role: HouseholdRole;
}

export interface RecordInvolvement {
  status: 'open' | 'closed';
  /** The agency's staff reference of the allocated worker (a registry person id once known). */
  worker?: string;
  team?: string;
  since?: string;
  until?: string;
}

export interface CanonicalRecord {
  externalId: string;
  /** The agency's own version, 1 and up; an older version than the stored one is refused. */
  version: number;
  name: PersonName;
  otherNames?: OtherName[];
  /** YYYY-MM-DD, or partial YYYY-MM / YYYY. */
  birthDate?: string;
  birthDateUncertain?: boolean;
  sex?: Sex;
  identifiers?: RecordIdentifier[];
  addresses?: RecordAddress[];
  contacts?: RecordContact[];
  household?: RecordHousehold;
  involvement?: RecordInvolvement;
  needs?: string[];
  categories?: DataCategory[];
}

/** One NDJSON line of a bulk file: the record plus the agency that holds it (checked against the token). */
export interface CanonicalRecordLine extends CanonicalRecord {
  agency: string;
}
