// npm run bench:link-engine [-- --records 1000000 --seed 3 --threads <n> --runs 1]
// The dry run (`npm run link`) end to end on synthetic-place CSV extracts: read, prepare, block, compare
// on worker threads, train, score, cluster, score against the truth. The extracts are generated first
// (not timed) and cached under .artifacts/. A single-threaded run on a tenth of the records, in the same
// session, is the baseline. Progress on stderr; one JSON line last.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median, progress } from './support.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '3' },
    threads: { type: 'string', default: String(availableParallelism()) },
    runs: { type: 'string', default: '1' },
  },
});
const records = Number(values.records);
const runs = Math.max(1, Number(values.runs));

/** Runs a command, passing its stderr through as progress, and returns its last stdout line as JSON. */
function run(args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    // A million records need more than the default heap; without it V8 spends the run collecting garbage.
    const env = {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=8192 --max-semi-space-size=128`.trim(),
    };
    const child = spawn('npx', ['tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>);
    });
  });
}

async function place(count: number): Promise<string> {
  const dir = join('.artifacts', `place-${count}-seed-${values.seed}`);
  if (!existsSync(join(dir, 'truth.csv'))) {
    progress(`generating ${count} synthetic-place records into ${dir}`);
    await run(['libs/place/src/cli.ts', '--seed', values.seed!, '--records', String(count), '--out', dir]);
  }
  return dir;
}

function link(dir: string, threads: number): Promise<Record<string, number>> {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith('northmoor-') && f.endsWith('.csv'))
    .map((f) => join(dir, f));
  return run([
    'libs/linkage/src/cli.ts',
    '--mapping',
    'config/linkage/mappings/place.json',
    '--truth-file',
    join(dir, 'truth.csv'),
    '--threads',
    String(threads),
    ...files,
  ]);
}

const baselineRecords = Math.max(1000, Math.round(records / 10));
const baselineDir = await place(baselineRecords);
progress(`baseline: ${baselineRecords} records on one thread`);
const baseline = await link(baselineDir, 1);
const dir = await place(records);
const results: Record<string, number>[] = [];
for (let r = 0; r < runs; r += 1) {
  progress(`run ${r + 1}/${runs}: ${records} records on ${values.threads} threads`);
  results.push(await link(dir, Number(values.threads)));
}
const pick = (key: string) => median(results.map((x) => x[key]!));
console.log(
  JSON.stringify({
    records,
    candidatePairs: pick('candidatePairs'),
    comparisonsPerSecond: pick('comparisonsPerSecond'),
    seconds: pick('seconds'),
    peakRssMb: pick('peakRssMb'),
    f1: pick('f1'),
    precision: pick('precision'),
    recall: pick('recall'),
    threads: Number(values.threads),
    runs,
    baseline: {
      records: baselineRecords,
      threads: 1,
      seconds: baseline.seconds,
      comparisonsPerSecond: baseline.comparisonsPerSecond,
      f1: baseline.f1,
    },
  }),
);
