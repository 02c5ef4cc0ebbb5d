import { FHIR_IDENTIFIER_SYSTEMS, type HouseholdRole } from '@joinedup/core';

/**
 * FHIR R4 Patient / RelatedPerson (UK Core identifiers) -> the canonical record input. Only the mapping
 * lives here: the result goes through the same validator as every other door, and its field paths are
 * turned back into FHIRPath expressions for the OperationOutcome.
 */
type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface MappedResource {
  input: Json;
  /** canonical field path -> FHIRPath, for error reports */
  paths: Map<string, string>;
}

const NAME_KIND: Record<string, string> = { old: 'previous', maiden: 'birth', nickname: 'alias', anonymous: 'alias' };

export function mapPersonResource(
  resource: Json,
  externalId: string,
  household?: { reference: string; role: HouseholdRole },
): MappedResource {
  const type = String(resource.resourceType);
  const paths = new Map<string, string>([
    ['version', `${type}.meta.versionId`],
    ['name', `${type}.name`],
    ['name.given', `${type}.name.given`],
    ['name.family', `${type}.name.family`],
    ['birthDate', `${type}.birthDate`],
    ['sex', `${type}.gender`],
  ]);
  const names = list(resource.name).filter(isObj);
  const official =
    names.find((n) => n.use === 'official' || n.use === 'usual') ??
    names.find((n) => !n.use || !(String(n.use) in NAME_KIND));
  const given = list(official?.given)
    .map(text)
    .filter((g): g is string => Boolean(g));
  const versionId = isObj(resource.meta) ? text(resource.meta.versionId) : undefined;

  const input: Json = {
    externalId,
    version: versionId !== undefined && /^\d+$/.test(versionId) ? Number(versionId) : versionId,
    name: official
      ? {
          given: given[0],
          family: text(official.family),
          middle: given.slice(1).join(' ') || undefined,
          title: list(official.prefix).map(text)[0],
        }
      : undefined,
    birthDate: text(resource.birthDate),
    sex: text(resource.gender),
  };
  const others = names.filter((n) => n !== official && String(n.use) in NAME_KIND);
  if (others.length > 0) {
    input.otherNames = others.map((n) => ({
      kind: NAME_KIND[String(n.use)],
      given: list(n.given).map(text)[0],
      family: text(n.family),
    }));
  }
  const identifiers = list(resource.identifier).filter(isObj);
  if (identifiers.length > 0) {
    input.identifiers = identifiers.map((id, i) => {
      paths.set(`identifiers[${i}].value`, `${type}.identifier[${i}].value`);
      const system = text(id.system) ?? '';
      const known = FHIR_IDENTIFIER_SYSTEMS[system];
      return known
        ? { system: known, value: text(id.value) }
        : { system: 'local', localSystem: system.slice(0, 64) || 'unknown', value: text(id.value) };
    });
  }
  const addresses = list(resource.address).filter(isObj);
  if (addresses.length > 0) {
    input.addresses = addresses.map((a, i) => {
      paths.set(`addresses[${i}].postcode`, `${type}.address[${i}].postalCode`);
      const period = isObj(a.period) ? a.period : {};
      return {
        lines: list(a.line).map(text).filter(Boolean),
        locality: text(a.city),
        postcode: text(a.postalCode),
        from: text(period.start)?.slice(0, 10),
        to: text(period.end)?.slice(0, 10),
      };
    });
  }
  const telecom = list(resource.telecom)
    .filter(isObj)
    .filter((t) => t.system === 'phone' || t.system === 'email');
  if (telecom.length > 0) input.contacts = telecom.map((t) => ({ kind: t.system, value: text(t.value) }));
  if (household) input.household = household;
  input.categories = [
    'identity',
    ...(addresses.length > 0 ? ['address'] : []),
    ...(telecom.length > 0 ? ['contact'] : []),
    ...(household ? ['household'] : []),
  ];
  return { input: JSON.parse(JSON.stringify(input)) as Json, paths };
}

/** v3-RoleCode relationships of a RelatedPerson to its Patient -> household roles of both. */
const PARENTAL = new Set([
  'MTH',
  'FTH',
  'PRN',
  'NMTH',
  'NFTH',
  'NPRN',
  'STPMTH',
  'STPFTH',
  'STPPRN',
  'ADOPTMTH',
  'ADOPTFTH',
  'ADOPTP',
]);
const CARER = new Set(['GUARD', 'FOSTER', 'PRNFOST', 'MTHFOST', 'FTHFOST', 'CAREGIVER', 'GRMTH', 'GRFTH', 'GRPRN']);

export function rolesOf(relationshipCodes: string[]): { related: HouseholdRole; patient: HouseholdRole } {
  if (relationshipCodes.some((c) => PARENTAL.has(c))) return { related: 'parent', patient: 'child' };
  if (relationshipCodes.some((c) => CARER.has(c))) return { related: 'carer', patient: 'child' };
  if (relationshipCodes.some((c) => ['CHILD', 'SON', 'DAU', 'NCHILD', 'STPCHLD'].includes(c)))
    return { related: 'child', patient: 'parent' };
  return { related: 'other-adult', patient: 'other-adult' };
}
