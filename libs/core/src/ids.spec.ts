import { BrokerError, fixedClock, isAgencySlug, isBrokerError } from '@joinedup/core';

describe('core', () => {
  it('accepts agency slugs and refuses anything else', () => {
    expect(isAgencySlug('leeds-csc')).toBe(true);
    expect(isAgencySlug('Leeds CSC')).toBe(false);
    expect(isAgencySlug('-leeds')).toBe(false);
  });

  it('keeps the code and details of a BrokerError', () => {
    const error = new BrokerError('NOT_FOUND', 'record not found', { field: 'externalId' });
    expect(isBrokerError(error)).toBe(true);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.details).toEqual({ field: 'externalId' });
  });

  it('moves a fixed clock only when told', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    clock.advance(1000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });
});
