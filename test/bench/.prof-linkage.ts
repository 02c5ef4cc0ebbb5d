import { performance } from 'node:perf_hooks';
import { contentHash } from '@joinedup/core';
import { GovernanceEngine } from '@joinedup/governance';
import { createDataSource, SourceRecordRepository } from '@joinedup/persistence';
import { generatePlace, NORTHMOOR_AGENCIES } from '@joinedup/place';
import { identityMatchingAgreement } from '@joinedup/testing';
import { benchDatabase } from './support.js';
import { LinkageService, loadTrainedModel } from '@joinedup/linkage-service';

const db = await benchDatabase('joinedup_prof_linkage');
const ds = createDataSource(db.appUrl);
await ds.initialize();
const service = new LinkageService(ds, loadTrainedModel(), { engine: GovernanceEngine.create([identityMatchingAgreement(NORTHMOOR_AGENCIES.map((a) => a.id))]) });
const repo = new SourceRecordRepository(ds);
const byAgency = new Map<string, any[]>();
for (const item of generatePlace({ seed: 3, records: 6000 })) {
  const l = byAgency.get(item.record.agency) ?? [];
  l.push(item.record);
  byAgency.set(item.record.agency, l);
}
const ids: string[] = [];
for (const [agency, records] of byAgency) {
  const out = await repo.upsertBatch(agency, records.map((record) => ({ externalId: record.externalId, version: record.version, contentHash: contentHash(record), record, invalidFields: [] })), 'load');
  for (const o of out) ids.push(o.recordId!);
}
ids.sort(() => Math.random() - 0.5);
const spent = new Map<string, number>();
const wrap = (obj: any, names: string[], label: string) => {
  for (const n of names) {
    const f = obj[n];
    obj[n] = async function (this: unknown, ...a: unknown[]) {
      const t = performance.now();
      try { return await f.apply(this, a); } finally { spent.set(`${label}.${n}`, (spent.get(`${label}.${n}`) ?? 0) + performance.now() - t); }
    };
  }
};
const repoProto = Object.getPrototypeOf(service.repo);
wrap(repoProto, Object.getOwnPropertyNames(repoProto).filter((n) => n !== 'constructor'), 'repo');
const sp = Object.getPrototypeOf(service);
wrap(sp, ['index', 'gateAndStore', 'recluster', 'refamily', 'identityMatchingMany'], 'svc');
const t0 = performance.now();
for (let i = 0; i < 3000; i += 64) await service.relinkRecords(ids.slice(i, i + 64).map((recordId) => ({ recordId, correlationId: 'p' })));
const t1 = performance.now();
console.log('grouped 3000:', ((t1 - t0) / 3000).toFixed(2), 'ms/record');
console.log([...spent].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 3000).toFixed(3)}`).join('\n'));
spent.clear();
for (let i = 3000; i < 3300; i++) await service.relinkRecord(ids[i]!, 'p');
console.log('single 300:', ((performance.now() - t1) / 300).toFixed(2), 'ms/record');
await ds.destroy();

