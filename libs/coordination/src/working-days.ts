import { BrokerError } from '@joinedup/core';

/**
 * Offer deadlines in working days. Days are counted on the London calendar (an offer made at
 * 00:30 BST on a Saturday is a weekend offer even though it is still Friday in UTC), and the time
 * of day is kept across the clock change.
 */

export const ENGLAND_AND_WALES = 'Europe/London';

export interface WorkingDayOptions {
  timeZone?: string;
  /** The last date (YYYY-MM-DD) the holiday list is known to cover; a deadline after it is refused. */
  coversUntil?: string;
}

interface LocalTime {
  date: string; // YYYY-MM-DD
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** Building a formatter costs far more than using one (it was 4% of the worker under load): keep one per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    date,
    weekday: new Date(`${date}T00:00:00Z`).getUTCDay(),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    ms: at.getUTCMilliseconds(),
  };
}

/** The instant at which the wall clock in `timeZone` shows `date` at the given time. */
function atLocal(date: string, t: Omit<LocalTime, 'date' | 'weekday'>, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.ms;
  // Two passes settle the offset on either side of a clock change.
  let guess = wall;
  for (let i = 0; i < 2; i += 1) {
    const seen = localTime(new Date(guess), timeZone);
    const seenWall =
      Date.parse(`${seen.date}T00:00:00Z`) + ((seen.hour * 60 + seen.minute) * 60 + seen.second) * 1000 + seen.ms;
    guess += wall - seenWall;
  }
  return new Date(guess);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, bankHolidays: ReadonlySet<string>): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !bankHolidays.has(date);
}

/**
 * The same time of day on the `workingDays`-th working day after `from`. An offer made on a
 * weekend or bank holiday starts counting at the beginning of the next working day, so it still
 * gets that many whole working days.
 */
export function offerDeadline(
  from: Date,
  workingDays = 2,
  bankHolidays: readonly string[] = [],
  options: WorkingDayOptions = {},
): Date {
  if (!Number.isInteger(workingDays) || workingDays < 1) {
    throw new BrokerError('CONFIG_INVALID', 'An offer deadline is a whole number of working days, 1 or more');
  }
  const timeZone = options.timeZone ?? ENGLAND_AND_WALES;
  const holidays = new Set(bankHolidays);
  const start = localTime(from, timeZone);
  let date = start.date;
  let time: Omit<LocalTime, 'date' | 'weekday'> = start;
  if (!isWorkingDay(date, holidays)) {
    while (!isWorkingDay(date, holidays)) date = nextDate(date);
    time = { hour: 0, minute: 0, second: 0, ms: 0 };
  }
  for (let counted = 0; counted < workingDays;) {
    date = nextDate(date);
    if (isWorkingDay(date, holidays)) counted += 1;
  }
  return checked(atLocal(date, time, timeZone), date, options);
}

function checked(deadline: Date, date: string, options: WorkingDayOptions): Date {
  if (options.coversUntil !== undefined && date > options.coversUntil) {
    throw new BrokerError('CONFIG_INVALID', `The bank holiday list ends ${options.coversUntil}; add the next year`, {
      coversUntil: options.coversUntil,
    });
  }
  return deadline;
}

export interface BankHolidayList {
  dates: string[];
  coversUntil: string;
}

/** Reads config/coordination/bank-holidays.json, listing every problem at once. */
export function parseBankHolidays(json: unknown): BankHolidayList {
  const problems: string[] = [];
  const value = (json ?? {}) as { coversUntil?: unknown; events?: unknown };
  const isDate = (d: unknown): d is string =>
    typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d));
  if (!isDate(value.coversUntil)) problems.push('coversUntil: must be a date YYYY-MM-DD');
  const dates: string[] = [];
  if (!Array.isArray(value.events)) problems.push('events: must be a list');
  else
    value.events.forEach((event: unknown, i) => {
      const date = (event as { date?: unknown } | null)?.date;
      if (!isDate(date)) problems.push(`events[${i}].date: must be a date YYYY-MM-DD`);
      else if (isDate(value.coversUntil) && date > value.coversUntil)
        problems.push(`events[${i}].date: after coversUntil`);
      else dates.push(date);
    });
  if (problems.length > 0) throw new BrokerError('CONFIG_INVALID', 'The bank holiday list is invalid', { problems });
  return { dates: dates.sort(), coversUntil: value.coversUntil as string };
}
