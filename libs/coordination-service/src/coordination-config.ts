import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type BankHolidayList,
  type LeadWorkerPolicy,
  parseBankHolidays,
  parseLeadWorkerPolicy,
} from '@joinedup/coordination';

/** The lead-worker policy and the bank holidays offer deadlines skip, as configured under config/coordination. */
export interface CoordinationSettings {
  policy: LeadWorkerPolicy;
  holidays: BankHolidayList;
}

export function loadCoordinationSettings(dir = 'config/coordination'): CoordinationSettings {
  const read = (name: string): unknown => JSON.parse(readFileSync(resolve(dir, name), 'utf8'));
  return {
    policy: parseLeadWorkerPolicy(read('lead-worker-policy.json')),
    holidays: parseBankHolidays(read('bank-holidays.json')),
  };
}
