import { readFileSync } from 'node:fs';
import { offerDeadline, parseBankHolidays } from './working-days.js';

const shipped = parseBankHolidays(JSON.parse(readFileSync('config/coordination/bank-holidays.json', 'utf8')));
const holidays = shipped.dates;

describe('offer deadline in working days', () => {
  it.each([
    ['Monday morning -> Wednesday morning', '2026-03-02T09:30:00Z', '2026-03-04T09:30:00.000Z'],
    ['Thursday -> Monday, over the weekend', '2026-03-05T14:00:00Z', '2026-03-09T14:00:00.000Z'],
    ['Friday -> Tuesday', '2026-03-06T16:45:00Z', '2026-03-10T16:45:00.000Z'],
    [
      'Saturday -> end of Tuesday (Monday and Tuesday are the two days)',
      '2026-03-07T11:00:00Z',
      '2026-03-11T00:00:00.000Z',
    ],
    [
      'Thursday before Easter -> Wednesday after, over Good Friday and Easter Monday',
      '2026-04-02T10:00:00+01:00',
      '2026-04-08T09:00:00.000Z',
    ],
    [
      'Christmas Eve 2026 -> 30 December, over Christmas and the Boxing Day substitute',
      '2026-12-24T12:00:00Z',
      '2026-12-30T12:00:00.000Z',
    ],
    ['Christmas Eve 2027 -> 30 December, over two substitute days', '2027-12-24T12:00:00Z', '2027-12-30T12:00:00.000Z'],
    ['Friday before the May bank holiday -> Wednesday', '2026-05-01T10:00:00+01:00', '2026-05-06T09:00:00.000Z'],
  ])('%s', (_what, from, deadline) => {
    expect(offerDeadline(new Date(from), 2, holidays).toISOString()).toBe(deadline);
  });

  it('keeps the London time of day across the change to summer time', () => {
    // Friday 27 March 2026, 09:00 GMT; clocks go forward on Sunday 29 March.
    expect(offerDeadline(new Date('2026-03-27T09:00:00Z'), 2, holidays).toISOString()).toBe('2026-03-31T08:00:00.000Z');
  });

  it('counts the day on the London calendar, not the UTC one', () => {
    // 00:30 BST on Saturday 6 June is still Friday in UTC, but it is a weekend offer.
    expect(offerDeadline(new Date('2026-06-05T23:30:00Z'), 2, holidays).toISOString()).toBe('2026-06-09T23:00:00.000Z');
  });

  it('takes the number of working days from configuration', () => {
    expect(offerDeadline(new Date('2026-03-02T09:30:00Z'), 5, holidays).toISOString()).toBe('2026-03-09T09:30:00.000Z');
  });

  it('refuses to guess past the end of the bank holiday list', () => {
    expect(() =>
      offerDeadline(new Date('2027-12-30T10:00:00Z'), 2, holidays, { coversUntil: shipped.coversUntil }),
    ).toThrow(/ends 2027-12-31/);
  });

  it('lists every problem in a bad holiday file', () => {
    expect(() => parseBankHolidays({ coversUntil: 'soon', events: [{ date: '2026-13-45' }, {}] })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: {
          problems: [
            'coversUntil: must be a date YYYY-MM-DD',
            'events[0].date: must be a date YYYY-MM-DD',
            'events[1].date: must be a date YYYY-MM-DD',
          ],
        },
      }),
    );
  });
});
