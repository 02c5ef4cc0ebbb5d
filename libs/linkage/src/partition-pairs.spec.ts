import { readFileSync } from 'node:fs';
import { generatePlace } from '@joinedup/place';
import {
  candidatePairs,
  fromCanonical,
  keyPartition,
  partitionPairs,
  prepareRecord,
  type TrainedModel,
} from '@joinedup/linkage';

const model = JSON.parse(readFileSync('config/linkage/trained/default.json', 'utf8')) as TrainedModel;
const prepared = [...generatePlace({ seed: 11, records: 1500 })].map(({ record }) => {
  const { agency, ...canonical } = record;
  return prepareRecord(fromCanonical(agency, canonical, []));
});

describe('blocks partitioned by key', () => {
  const all = candidatePairs(prepared, model.blocking, model.maxBlockSize).pairs;

  it.each([1, 2, 3, 7])('%i partitions together find exactly the candidate pairs, each once', (partitions) => {
    const parts = Array.from({ length: partitions }, (_, p) =>
      partitionPairs(prepared, model.blocking, model.maxBlockSize, p, partitions),
    );
    const union = Float64Array.from(parts.flatMap((p) => [...p])).sort();
    expect(all.length).toBeGreaterThan(1000);
    expect(union).toEqual(all);
    if (partitions > 1) expect(parts.filter((p) => p.length > 0).length).toBe(partitions);
  });

  it('a key lands in the same partition everywhere, and keys spread over partitions', () => {
    expect(keyPartition('nhs:9434765919', 4)).toBe(keyPartition('nhs:9434765919', 4));
    const seen = new Set(Array.from({ length: 200 }, (_, i) => keyPartition(`k${i}`, 4)));
    expect(seen).toEqual(new Set([0, 1, 2, 3]));
  });

  it('refuses a partition outside the range', () => {
    expect(() => partitionPairs(prepared, model.blocking, model.maxBlockSize, 2, 2)).toThrow(/not a partition/);
  });
});
