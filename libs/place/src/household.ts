import type { HouseholdRole, RecordAddress } from '@joinedup/core';
import { nhsNumber, niNumber, postcode, upn, uprn } from './identifiers.js';
import { FEMALE_NAMES, MALE_NAMES, SURNAME_TABLE } from './names.js';
import { type Rng, weighted } from '@joinedup/core';

export interface TruePerson {
  personId: string;
  familyId: string;
  given: string;
  middle?: string;
  family: string;
  /** The surname at birth when it differs (marriage). */
  birthFamily?: string;
  /** A child's other parent's surname, which an agency may record. */
  otherParentFamily?: string;
  sex: 'male' | 'female';
  birthDate: string;
  age: number;
  role: HouseholdRole;
  nhs: string;
  ni?: string;
  upn?: string;
}

export interface Household {
  familyId: string;
  type: HouseholdType;
  members: TruePerson[];
  address: RecordAddress;
  previousAddress?: RecordAddress;
  /** Multiple needs across agencies ("troubled family"). */
  complex: boolean;
  socialHousing: boolean;
  needs: string[];
}

export type HouseholdType =
  'couple-with-children' | 'lone-parent' | 'blended' | 'multi-generational' | 'couple' | 'single-adult';
const TYPES = weighted<HouseholdType>([
  ['couple-with-children', 27],
  ['lone-parent', 11],
  ['blended', 5],
  ['multi-generational', 4],
  ['couple', 25],
  ['single-adult', 28],
]);
const STREETS = [
  'Mill Lane',
  'Church Street',
  'Station Road',
  'Victoria Terrace',
  'Moor View',
  'Albert Road',
  'Chapel Fold',
  'Beck Side',
  'Foundry Walk',
  'Weavers Court',
  'Canal Street',
  'Heather Close',
  'Ridge Way',
  'Brook Street',
  'Park Avenue',
];
const LOCALITIES = ['Northmoor', 'Upper Moorside', 'Low Bridge', 'Ashcliffe', 'Kirkhope', 'Hollins'];
const NEEDS = weighted<string>([
  ['school-attendance', 20],
  ['domestic-abuse', 14],
  ['mental-health', 18],
  ['substance-misuse', 8],
  ['housing', 12],
  ['worklessness', 16],
  ['crime', 10],
  ['child-in-need', 12],
  ['child-protection', 5],
  ['health', 10],
]);

function address(rng: Rng): RecordAddress {
  return {
    lines: [`${rng.int(1, 240)} ${rng.pick(STREETS)}`],
    locality: rng.pick(LOCALITIES),
    postcode: postcode(rng),
    uprn: uprn(rng),
  };
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export class HouseholdFactory {
  private personSeq = 0;
  private familySeq = 0;

  constructor(
    private readonly rng: Rng,
    private readonly asOf: string,
  ) {}

  private get asOfYear(): number {
    return Number(this.asOf.slice(0, 4));
  }

  /** A birth date `age` whole years before the place's today, never after it. */
  private birthDate(age: number): string {
    const today = Date.parse(`${this.asOf}T00:00:00Z`);
    const born = new Date(today - (age * 365.25 + this.rng.int(1, 364)) * 86_400_000);
    return isoDate(born.getUTCFullYear(), born.getUTCMonth() + 1, born.getUTCDate());
  }

  private person(
    familyId: string,
    family: string,
    sex: 'male' | 'female',
    age: number,
    role: HouseholdRole,
  ): TruePerson {
    const rng = this.rng;
    this.personSeq += 1;
    const birthDate = this.birthDate(age);
    const year = Number(birthDate.slice(0, 4));
    const names = sex === 'female' ? FEMALE_NAMES : MALE_NAMES;
    const given = rng.pickWeighted(names);
    let middle: string | undefined = rng.chance(0.55) ? rng.pickWeighted(names) : undefined;
    if (middle === given) middle = undefined;
    const p: TruePerson = {
      personId: `P${String(this.personSeq).padStart(8, '0')}`,
      familyId,
      given,
      family,
      sex,
      birthDate,
      age,
      role,
      nhs: nhsNumber(rng),
      ...(middle ? { middle } : {}),
    };
    if (age >= 16) p.ni = niNumber(rng);
    if (age >= 4 && age <= 16) p.upn = upn(rng, year + 5);
    return p;
  }

  next(): Household {
    const rng = this.rng;
    this.familySeq += 1;
    const familyId = `F${String(this.familySeq).padStart(7, '0')}`;
    const type = rng.pickWeighted(TYPES);
    const surname = rng.pickWeighted(SURNAME_TABLE);
    const members: TruePerson[] = [];
    const adultAge = () => rng.int(22, 58);
    const addChildren = (count: number, family: string, parentAge: number, otherParentFamily?: string) => {
      for (let i = 0; i < count; i += 1) {
        const child = this.person(
          familyId,
          family,
          rng.chance(0.5) ? 'female' : 'male',
          rng.int(0, Math.min(17, parentAge - 17)),
          'child',
        );
        if (otherParentFamily) child.otherParentFamily = otherParentFamily;
        members.push(child);
      }
    };
    if (type === 'single-adult')
      members.push(this.person(familyId, surname, rng.chance(0.5) ? 'female' : 'male', rng.int(18, 90), 'other-adult'));
    else if (type === 'lone-parent') {
      const age = adultAge();
      members.push(this.person(familyId, surname, rng.chance(0.88) ? 'female' : 'male', age, 'parent'));
      addChildren(rng.int(1, 3), surname, age, rng.chance(0.5) ? rng.pickWeighted(SURNAME_TABLE) : undefined);
    } else {
      const age = type === 'couple' ? rng.int(20, 85) : adultAge();
      const role: HouseholdRole = type === 'couple' ? 'other-adult' : 'parent';
      const woman = this.person(familyId, surname, 'female', age + rng.int(-4, 2), role);
      const birthFamily = rng.pickWeighted(SURNAME_TABLE);
      if (birthFamily !== surname && rng.chance(0.7)) woman.birthFamily = birthFamily;
      members.push(woman, this.person(familyId, surname, 'male', age + rng.int(-2, 4), role));
      if (type === 'couple-with-children') addChildren(rng.int(1, 4), surname, age);
      if (type === 'blended') {
        addChildren(rng.int(1, 2), surname, age);
        addChildren(rng.int(1, 2), rng.pickWeighted(SURNAME_TABLE), age, surname); // her children from before
      }
      if (type === 'multi-generational') {
        addChildren(rng.int(1, 3), surname, age);
        members.push(
          this.person(familyId, surname, rng.chance(0.6) ? 'female' : 'male', age + rng.int(22, 32), 'other-adult'),
        );
      }
    }
    const complex = members.length > 1 && rng.chance(0.14);
    const needs = complex
      ? [...new Set(Array.from({ length: rng.int(2, 4) }, () => rng.pickWeighted(NEEDS)))]
      : rng.chance(0.1)
        ? [rng.pickWeighted(NEEDS)]
        : [];
    const current = address(rng);
    const moved = rng.chance(0.2);
    const movedOn = isoDate(this.asOfYear - rng.int(0, 2), rng.int(1, 12), rng.int(1, 28));
    return {
      familyId,
      type,
      members,
      address: moved ? { ...current, from: movedOn } : current,
      ...(moved ? { previousAddress: { ...address(rng), to: movedOn } } : {}),
      complex,
      socialHousing: complex ? rng.chance(0.7) : rng.chance(0.17),
      needs,
    };
  }
}
