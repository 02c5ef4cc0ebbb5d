import type { CanonicalRecordLine, DataCategory, RecordIdentifier } from '@joinedup/core';
import type { PlaceAgency, PlaceWorker } from './agencies.js';
import type { ErrorRates } from './error-rates.js';
import type { Household, TruePerson } from './household.js';
import { corruptCheckDigit, malformedPostcode } from './identifiers.js';
import { NICKNAMES } from './names.js';
import type { Rng } from '@joinedup/core';

/** Which agencies know a person, and with what needs. Health knows almost everyone (GP registration). */
export function agenciesKnowing(p: TruePerson, h: Household, rng: Rng): string[] {
  const known: string[] = [];
  const child = p.age < 18;
  if (rng.chance(0.55)) known.push('northmoor-health');
  if (p.upn && rng.chance(0.3 + (h.complex ? 0.6 : 0))) known.push('northmoor-schools');
  if (
    child &&
    h.complex &&
    (h.needs.includes('child-in-need') || h.needs.includes('child-protection') || rng.chance(0.5))
  )
    known.push('northmoor-csc');
  if (!child && h.complex && h.members.some((m) => m.age < 18) && p.role === 'parent' && rng.chance(0.6))
    known.push('northmoor-csc');
  if ((p.age >= 75 && rng.chance(0.25)) || (!child && h.needs.includes('mental-health') && rng.chance(0.4)))
    known.push('northmoor-asc');
  if (!child && ((h.complex && rng.chance(0.35)) || rng.chance(0.01))) known.push('northmoor-police');
  if (!child && h.socialHousing && p.role !== 'child') known.push('northmoor-housing');
  if (p.age >= 18 && p.age < 66 && ((h.complex && rng.chance(0.5)) || rng.chance(0.04)))
    known.push('northmoor-jobcentre');
  if (!child && p.sex === 'male' && h.needs.includes('crime') && rng.chance(0.6)) known.push('northmoor-probation');
  if (h.complex && rng.chance(0.2)) known.push('northmoor-voluntary');
  return known;
}

const CATEGORIES: Record<string, DataCategory[]> = {
  'northmoor-health': ['identity', 'contact', 'address', 'household', 'involvement', 'health'],
  'northmoor-police': ['identity', 'address', 'household', 'involvement', 'criminal-offence'],
  'northmoor-probation': ['identity', 'address', 'involvement', 'criminal-offence'],
};

function typo(value: string, rng: Rng): string {
  if (value.length < 3) return value;
  const i = rng.int(1, value.length - 2);
  switch (rng.int(0, 3)) {
    case 0:
      return value.slice(0, i) + value.slice(i + 1); // deletion
    case 1:
      return value.slice(0, i) + value[i] + value.slice(i); // doubling
    case 2:
      return value.slice(0, i) + value[i + 1] + value[i] + value.slice(i + 2); // transposition
    default:
      return value.slice(0, i) + rng.pick('aeinorstl'.split('')) + value.slice(i + 1); // substitution
  }
}

function dobWithErrors(dob: string, rates: ErrorRates, rng: Rng, asOf: string): string | undefined {
  // Every decision is drawn whatever the others decide, so changing one rate does not reshuffle the rest.
  const missing = rng.chance(rates.dobMissing);
  const swap = rng.chance(rates.dobDayMonthSwap);
  const mistyped = rng.chance(rates.dobTypo);
  const shift = rng.pick([-10, -1, 1, 10]);
  if (missing) return undefined;
  const [y, m, d] = dob.split('-') as [string, string, string];
  // A swap that would land after today is one no agency system would accept: it is not made.
  if (swap && Number(d) <= 12 && `${y}-${d}-${m}` <= asOf) return `${y}-${d}-${m}`;
  if (mistyped) return `${y}-${m}-${String(Math.min(28, Math.max(1, Number(d) + shift))).padStart(2, '0')}`;
  return dob;
}

export interface ViewContext {
  agency: PlaceAgency;
  externalId: string;
  /** The agency's own household reference (agencies number households their own way). */
  householdRef: string;
  workers: PlaceWorker[];
  rates: ErrorRates;
  rng: Rng;
  asOf: string;
}

/** One agency's imperfect record of one person. */
export function agencyRecord(p: TruePerson, h: Household, ctx: ViewContext): CanonicalRecordLine {
  const { rng, rates, agency } = ctx;
  let given = p.given;
  let family = p.family;
  if (rng.chance(rates.nickname) && NICKNAMES[given]) given = rng.pick(NICKNAMES[given]!);
  if (p.birthFamily && rng.chance(rates.maidenName)) family = p.birthFamily;
  if (p.otherParentFamily && rng.chance(rates.childOtherSurname)) family = p.otherParentFamily;
  if (rng.chance(rates.givenTypo)) given = typo(given, rng);
  if (rng.chance(rates.familyTypo)) family = typo(family, rng);
  if (rng.chance(rates.nameSwap)) [given, family] = [family, given];

  const identifiers: RecordIdentifier[] = [];
  const holdsNhs =
    agency.id === 'northmoor-health' ||
    (['northmoor-csc', 'northmoor-asc'].includes(agency.id) ? rng.chance(0.8) : rng.chance(0.15));
  if (holdsNhs && !rng.chance(agency.id === 'northmoor-health' ? 0 : rates.identifierMissing)) {
    identifiers.push({
      system: 'nhs-number',
      value: rng.chance(rates.nhsWrongCheckDigit) ? corruptCheckDigit(p.nhs, rng) : p.nhs,
    });
  }
  if (p.upn && agency.id === 'northmoor-schools' && !rng.chance(rates.identifierMissing))
    identifiers.push({ system: 'upn', value: p.upn });
  if (
    p.ni &&
    ['northmoor-jobcentre', 'northmoor-probation', 'northmoor-housing'].includes(agency.id) &&
    !rng.chance(rates.identifierMissing)
  ) {
    identifiers.push({ system: 'ni-number', value: p.ni });
  }
  identifiers.push({ system: 'local', localSystem: `${agency.id}-cms`, value: ctx.externalId });

  const useOld = h.previousAddress && rng.chance(rates.oldAddress);
  const addr = {
    ...(useOld ? h.previousAddress! : h.address),
    lines: [...(useOld ? h.previousAddress! : h.address).lines],
  };
  if (addr.postcode && rng.chance(rates.postcodeMalformed)) addr.postcode = malformedPostcode(rng);

  const relevant = h.needs.filter(() => rng.chance(0.7));
  const open = h.complex ? rng.chance(0.8) : rng.chance(0.3);
  const caseworkers = ctx.workers.filter((w) => w.role === 'caseworker');
  const worker = caseworkers[(Number(h.familyId.slice(1)) * 31 + agency.id.length) % caseworkers.length]!;
  const record: CanonicalRecordLine = {
    agency: agency.id,
    externalId: ctx.externalId,
    version: 1,
    name: { given, family, ...(p.middle && rng.chance(0.6) ? { middle: p.middle } : {}) },
    sex: p.sex,
    identifiers,
    addresses: [addr],
    household: { reference: ctx.householdRef, role: p.role },
    involvement: {
      status: open ? 'open' : 'closed',
      worker: worker.id,
      team: worker.team,
      since: `${Number(ctx.asOf.slice(0, 4)) - rng.int(0, 3)}-${String(rng.int(1, 12)).padStart(2, '0')}-01`,
    },
    needs: relevant,
    categories: CATEGORIES[agency.id] ?? ['identity', 'address', 'household', 'involvement', 'needs'],
  };
  const birthDate = dobWithErrors(p.birthDate, rates, rng, ctx.asOf);
  if (birthDate) record.birthDate = birthDate;
  if (p.birthFamily && family !== p.birthFamily && rng.chance(0.3))
    record.otherNames = [{ kind: 'birth', family: p.birthFamily }];
  return record;
}
