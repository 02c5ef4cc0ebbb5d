import type { Sector } from '@joinedup/core';

export interface PlaceAgency {
  id: string;
  name: string;
  sector: Sector;
  teams: string[];
  dutyTeam: string;
}

export interface PlaceWorker {
  id: string;
  agencyId: string;
  displayName: string;
  team: string;
  role: 'caseworker' | 'team-manager';
  skills: string[];
  leadCapacity: number;
}

/** The fictional borough of Northmoor and its nine agencies. */
export const NORTHMOOR_AGENCIES: readonly PlaceAgency[] = [
  {
    id: 'northmoor-csc',
    name: "Northmoor Children's Social Care",
    sector: 'children-social-care',
    teams: ['assessment', 'child-in-need', 'child-protection'],
    dutyTeam: 'front-door',
  },
  {
    id: 'northmoor-asc',
    name: 'Northmoor Adult Social Care',
    sector: 'adult-social-care',
    teams: ['older-people', 'mental-health', 'learning-disability'],
    dutyTeam: 'adult-duty',
  },
  {
    id: 'northmoor-health',
    name: 'Northmoor Health (GP federation)',
    sector: 'health',
    teams: ['health-visiting', 'school-nursing', 'community-mental-health'],
    dutyTeam: 'health-duty',
  },
  {
    id: 'northmoor-police',
    name: 'Northmoor Police',
    sector: 'police',
    teams: ['neighbourhood', 'public-protection'],
    dutyTeam: 'mash-police',
  },
  {
    id: 'northmoor-housing',
    name: 'Northmoor Homes',
    sector: 'housing',
    teams: ['tenancy-sustainment', 'homelessness'],
    dutyTeam: 'housing-options',
  },
  {
    id: 'northmoor-schools',
    name: 'Northmoor Schools (education welfare)',
    sector: 'education',
    teams: ['attendance', 'inclusion'],
    dutyTeam: 'education-welfare',
  },
  {
    id: 'northmoor-jobcentre',
    name: 'Northmoor Jobcentre',
    sector: 'employment',
    teams: ['work-coaches', 'troubled-families'],
    dutyTeam: 'jobcentre-duty',
  },
  {
    id: 'northmoor-probation',
    name: 'Northmoor Probation',
    sector: 'probation',
    teams: ['offender-management'],
    dutyTeam: 'probation-duty',
  },
  {
    id: 'northmoor-voluntary',
    name: 'Northmoor Family Support (voluntary)',
    sector: 'voluntary',
    teams: ['family-support', 'youth'],
    dutyTeam: 'volunteer-coordinators',
  },
];

const WORKER_GIVEN = [
  'Sam',
  'Alex',
  'Jo',
  'Chris',
  'Priya',
  'Tom',
  'Aisha',
  'Rhys',
  'Megan',
  'Tariq',
  'Hannah',
  'Lewis',
  'Nadia',
  'Owen',
  'Kate',
  'Imran',
];
const WORKER_FAMILY = [
  'Patel',
  'Okoro',
  'Evans',
  'Hughes',
  'Begum',
  'Clarke',
  'Nowak',
  'Reid',
  'Shah',
  'Doyle',
  'Baxter',
  'Kerr',
  'Lowe',
  'Iqbal',
];

/** Workers per agency: one manager per team, and caseworkers scaled to the place (at least three per team). */
export function placeWorkers(agency: PlaceAgency, perTeam: number): PlaceWorker[] {
  const workers: PlaceWorker[] = [];
  let n = 0;
  for (const team of [...agency.teams, agency.dutyTeam]) {
    for (let i = 0; i <= perTeam; i += 1) {
      n += 1;
      const manager = i === 0;
      workers.push({
        id: `${agency.id}-w${String(n).padStart(4, '0')}`,
        agencyId: agency.id,
        displayName: `${WORKER_GIVEN[(n * 7) % WORKER_GIVEN.length]} ${WORKER_FAMILY[(n * 11 + agency.id.length) % WORKER_FAMILY.length]}`,
        team,
        role: manager ? 'team-manager' : 'caseworker',
        skills: [team],
        leadCapacity: manager ? 0 : 12 + (n % 4) * 4,
      });
    }
  }
  return workers;
}
