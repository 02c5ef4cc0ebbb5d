import type { HouseholdRole, Sector } from '@joinedup/core';

/** What the coordination engine knows about a family: its persons and each agency's involvement with them. */
export interface AgencyInvolvement {
  agency: string;
  sector: Sector;
  open: boolean;
  workerIds: string[];
  /** The worker who is already this person's lead professional at this agency, if any. */
  leadWorkerId?: string;
  /** ISO date the involvement started. */
  since?: string;
  /** Need codes (config/needs.json). */
  needs: string[];
}

export interface FamilyPerson {
  personId: string;
  role?: HouseholdRole;
  involvements: AgencyInvolvement[];
}

export interface FamilySnapshot {
  familyId: string;
  persons: FamilyPerson[];
}

export interface Worker {
  id: string;
  /** For explanations; falls back to the id. */
  name?: string;
  agency: string;
  team: string;
  caseload: number;
  capacity: number;
  available: boolean;
}

const SECTOR_LABELS: Record<Sector, string> = {
  'children-social-care': "children's social care",
  'adult-social-care': 'adult social care',
  health: 'health',
  police: 'police',
  housing: 'housing',
  education: 'education',
  employment: 'employment',
  probation: 'probation',
  voluntary: 'voluntary sector',
};

export function sectorLabel(sector: Sector): string {
  return SECTOR_LABELS[sector];
}

/** "the child", "a parent": how explanations name a person without naming them. */
export function personLabel(person: FamilyPerson, family: FamilySnapshot): string {
  const sameRole = family.persons.filter((p) => p.role === person.role).length;
  switch (person.role) {
    case 'child':
      return sameRole === 1 ? 'the child' : 'a child';
    case 'parent':
      return sameRole === 1 ? 'the parent' : 'a parent';
    case 'carer':
      return sameRole === 1 ? 'the carer' : 'a carer';
    case 'other-adult':
      return 'an adult in the household';
    case undefined:
      return 'a family member';
  }
}

export function openInvolvements(family: FamilySnapshot): { person: FamilyPerson; involvement: AgencyInvolvement }[] {
  return family.persons.flatMap((person) =>
    person.involvements.filter((i) => i.open).map((involvement) => ({ person, involvement })),
  );
}

export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
