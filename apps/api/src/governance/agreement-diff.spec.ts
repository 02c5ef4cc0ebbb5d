import { diffVersions } from './agreement-diff.js';

describe('diffVersions', () => {
  it('lists changed, added and removed fields by path', () => {
    const v1 = {
      title: 'A',
      version: 1,
      flows: [{ from: 'x', categories: ['identity'] }],
      lawfulBasis: { gateway: 'g' },
    };
    const v2 = {
      title: 'B',
      version: 2,
      flows: [{ from: 'x', categories: ['identity', 'address'] }],
      lawfulBasis: { gateway: 'g', article9: 'health-social-care' },
    };
    expect(diffVersions(v1, v2)).toEqual([
      { path: 'flows[0].categories[1]', from: undefined, to: 'address' },
      { path: 'lawfulBasis.article9', from: undefined, to: 'health-social-care' },
      { path: 'title', from: 'A', to: 'B' },
      { path: 'version', from: 1, to: 2 },
    ]);
  });

  it('compares dates as ISO strings and finds nothing in equal versions', () => {
    const d = { validTo: new Date('2026-01-01T00:00:00Z') };
    expect(diffVersions(d, { validTo: new Date('2026-01-01T00:00:00Z') })).toEqual([]);
    expect(diffVersions(d, { validTo: new Date('2027-01-01T00:00:00Z') })).toEqual([
      { path: 'validTo', from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
    ]);
  });
});
