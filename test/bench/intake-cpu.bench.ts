// npm run bench:intake-cpu -- [--puts 3000] [--concurrency 16]
// The api's own CPU per single-record PUT (read from /proc, so a busy machine slows it but does not add
// to it): the built api alone, an agency system sending records one by one over keep-alive connections.
// Prints one JSON line last.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { generatePlace } from '@joinedup/place';
import { registerAgencyClient, signIn } from '@joinedup/testing';
import { BENCH_ADMIN, benchDatabase, benchEnv, keepAliveClient, progress, startBuiltApi } from './support.js';

const { values } = parseArgs({
  options: { puts: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' } },
});
const puts = Number(values.puts);
const concurrency = Number(values.concurrency);
const WARM_UP = 200;
const prefix = `bench-intake-cpu-${randomBytes(4).toString('hex')}`;

progress('intake-cpu: a fresh database and the built api');
const db = await benchDatabase('joinedup_bench_intake_cpu');
const api = await startBuiltApi(benchEnv(db, prefix, { RATE_LIMIT_PER_MINUTE: '10000000' }));
const adminToken = await signIn(api.base, BENCH_ADMIN.email, BENCH_ADMIN.password);
const agency = await registerAgencyClient(api.base, adminToken, { agencyId: 'bench-health', sector: 'health' });
const token = await agency.getToken();

const client = keepAliveClient(api.base, concurrency);
const put = async (body: { externalId: string }) =>
  (await client.call(token, 'PUT', `/v1/records/${body.externalId}`, body)).status;
const records = [...generatePlace({ seed: 5, records: (puts + WARM_UP) * 2 })]
  .slice(0, puts + WARM_UP)
  .map(({ record }, i) => ({
    externalId: `r-${i}`,
    version: 1,
    name: record.name,
    birthDate: record.birthDate,
    sex: record.sex,
  }));

/** The api's user and system CPU so far, in ms (Linux clock ticks of 10 ms). */
const apiCpuMs = () => {
  const fields = readFileSync(`/proc/${api.process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
async function send(from: number, count: number): Promise<number[]> {
  let next = from;
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < from + count) statuses.push(await put(records[next++]!));
    }),
  );
  return statuses;
}

progress(`intake-cpu: ${WARM_UP} PUTs to warm up, then ${puts} at ${concurrency} at a time`);
await send(0, WARM_UP);
const cpuBefore = apiCpuMs();
const start = performance.now();
const statuses = await send(WARM_UP, puts);
const seconds = (performance.now() - start) / 1000;
const cpuMs = apiCpuMs() - cpuBefore;
client.close();
await api.stop();
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const keys = await redis.keys(`${prefix}:*`);
if (keys.length > 0) await redis.del(...keys);
redis.disconnect();

console.log(
  JSON.stringify({
    puts,
    concurrency,
    ok: statuses.filter((s) => s === 200).length,
    apiCpuMsPerPut: Number((cpuMs / puts).toFixed(3)),
    putsPerSecond: Math.round(puts / seconds),
  }),
);
