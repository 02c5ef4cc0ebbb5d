// npm run -s relink -- [--apply] [--partitions 4] [--api http://127.0.0.1:3000]
// A batch re-link from scratch with the published model, through the admin API as the platform admin
// (BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD from the environment or .env), so it is authorised
// and audited like any other request. The worker processes score its partitions and merge; this follows
// the run, printing progress on stderr and the run (with its diff) as one JSON line last. Without
// --apply it is a dry run: the diff, nothing changed.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

if (existsSync('.env')) process.loadEnvFile('.env');
const { values } = parseArgs({
  options: {
    apply: { type: 'boolean', default: false },
    partitions: { type: 'string', default: '4' },
    api: { type: 'string', default: process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000' },
  },
});
const admin = { email: process.env.BOOTSTRAP_ADMIN_EMAIL, password: process.env.BOOTSTRAP_ADMIN_PASSWORD };
if (!admin.email || !admin.password) {
  console.error(
    'usage: BOOTSTRAP_ADMIN_EMAIL=... BOOTSTRAP_ADMIN_PASSWORD=... npm run -s relink -- [--apply] [--partitions N]',
  );
  process.exit(2);
}
const api = values.api!.replace(/\/$/, '');
const step = (message: string) => process.stderr.write(`relink: ${message}\n`);

const signIn = await fetch(`${api}/v1/auth/sign-in`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(admin),
});
if (!signIn.ok) throw new Error(`sign-in failed (${signIn.status})`);
const token = ((await signIn.json()) as { access_token: string }).access_token;
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

const queued = await fetch(`${api}/v1/admin/linkage/relink`, {
  method: 'POST',
  headers,
  body: JSON.stringify({ dryRun: !values.apply, partitions: Number(values.partitions) }),
});
if (queued.status !== 202) throw new Error(`the re-link was refused (${queued.status}): ${await queued.text()}`);
const { id } = (await queued.json()) as { id: string };
step(`run ${id} queued (${values.apply ? 'applied' : 'dry run'}, ${values.partitions} partitions)`);

interface Run {
  status: string;
  partitions: number;
  scored: { partition: number; worker: string; candidatePairs: number; seconds: number }[];
  error: string | null;
}
let shown = '';
for (;;) {
  const response = await fetch(`${api}/v1/admin/linkage/runs/${id}`, { headers });
  const run = (await response.json()) as Run;
  const line = `${run.status}: ${run.scored.length}/${run.partitions} partitions scored`;
  if (line !== shown) step((shown = line));
  if (run.status === 'done' || run.status === 'failed') {
    console.log(JSON.stringify(run));
    process.exit(run.status === 'done' ? 0 : 1);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
