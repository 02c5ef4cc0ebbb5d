import type { CanonicalRecordLine } from '@joinedup/core';
import { NORTHMOOR_AGENCIES, type PlaceAgency, placeWorkers, type PlaceWorker } from './agencies.js';
import { agenciesKnowing, agencyRecord } from './agency-view.js';
import { DEFAULT_ERROR_RATES, type ErrorRates } from './error-rates.js';
import { HouseholdFactory } from './household.js';
import { Rng } from '@joinedup/core';

export interface PlaceOptions {
  seed: number;
  /** How many agency records to produce (exactly). */
  records: number;
  rates?: Partial<ErrorRates>;
  /** The place's "today", YYYY-MM-DD: ages and dates are relative to it, never to the clock. */
  asOf?: string;
}

export interface PlaceRecord {
  record: CanonicalRecordLine;
  truth: { personId: string; familyId: string };
}

export interface PlaceDirectory {
  agencies: readonly PlaceAgency[];
  workers: PlaceWorker[];
}

/** Agencies with their teams and workers, sized to the place. */
export function placeAgencies(options: Pick<PlaceOptions, 'records'>): PlaceDirectory {
  const perTeam = Math.max(3, Math.min(60, Math.round(options.records / 4000)));
  return { agencies: NORTHMOOR_AGENCIES, workers: NORTHMOOR_AGENCIES.flatMap((a) => placeWorkers(a, perTeam)) };
}

/**
 * Streams the place household by household: never more than one household in memory, so a million
 * records cost no more memory than a thousand. Same options, same records, byte for byte.
 */
export function* generatePlace(options: PlaceOptions): Generator<PlaceRecord> {
  const rates = { ...DEFAULT_ERROR_RATES, ...options.rates };
  const asOf = options.asOf ?? '2026-06-30';
  const rng = new Rng(options.seed);
  const households = new HouseholdFactory(rng, asOf);
  const { workers } = placeAgencies(options);
  const workersOf = new Map(NORTHMOOR_AGENCIES.map((a) => [a.id, workers.filter((w) => w.agencyId === a.id)]));
  const agencyById = new Map(NORTHMOOR_AGENCIES.map((a) => [a.id, a]));
  const counters = new Map<string, number>();
  let emitted = 0;
  while (emitted < options.records) {
    const household = households.next();
    const householdRefs = new Map<string, string>();
    const householdRef = (agencyId: string): string => {
      let ref = householdRefs.get(agencyId);
      if (!ref) {
        const n = (counters.get(`${agencyId}#household`) ?? 0) + 1;
        counters.set(`${agencyId}#household`, n);
        ref = `${agencyId.split('-')[1]!.slice(0, 3).toUpperCase()}-HH-${String(n).padStart(6, '0')}`;
        householdRefs.set(agencyId, ref);
      }
      return ref;
    };
    for (const person of household.members) {
      for (const agencyId of agenciesKnowing(person, household, rng)) {
        const copies = rng.chance(rates.duplicateWithinAgency) ? 2 : 1;
        for (let c = 0; c < copies && emitted < options.records; c += 1) {
          const n = (counters.get(agencyId) ?? 0) + 1;
          counters.set(agencyId, n);
          const agency = agencyById.get(agencyId)!;
          const externalId = `${agencyId.split('-')[1]!.toUpperCase()}-${String(n).padStart(7, '0')}`;
          const record = agencyRecord(person, household, {
            agency,
            externalId,
            householdRef: householdRef(agencyId),
            workers: workersOf.get(agencyId)!,
            rates,
            rng,
            asOf,
          });
          emitted += 1;
          yield { record, truth: { personId: person.personId, familyId: household.familyId } };
        }
      }
    }
  }
}
