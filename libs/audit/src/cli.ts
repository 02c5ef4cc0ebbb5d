// npx tsx libs/audit/src/cli.ts verify [--file <export.ndjson | ->] [--jwks <jwks.json>] [--page-size 10000]
// npx tsx libs/audit/src/cli.ts export [--out <export.ndjson>]
// npx tsx libs/audit/src/cli.ts checkpoint
// Verifies the audit chain in the database (DATABASE_URL, the app role) or in an export, offline. Progress
// goes to stderr; the last stdout line is one JSON object. Exit 0 when intact, 1 when broken, 2 on misuse.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { loadConfigFromProcess } from '@joinedup/config';
import { systemClock } from '@joinedup/core';
import { createDataSource } from '@joinedup/persistence';
import { exportAuditLines, verifyAuditExport } from './audit-export.js';
import { AuditVerifier, type AuditVerification } from './audit-verifier.js';
import { createCheckpoint, type CheckpointSigner } from './checkpoint.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    file: { type: 'string' },
    jwks: { type: 'string' },
    out: { type: 'string' },
    'page-size': { type: 'string', default: '10000' },
  },
});
const progress = (message: string): void => void process.stderr.write(`audit: ${message}\n`);
const usage =
  'usage: cli.ts verify [--file <export.ndjson|->] [--jwks <jwks.json>] | export [--out <file>] | checkpoint';
const command = positionals[0];
const pageSize = Number(values['page-size']);
if (!['verify', 'export', 'checkpoint'].includes(command ?? '') || !Number.isInteger(pageSize) || pageSize < 1) {
  console.error(usage);
  process.exit(2);
}
const started = performance.now();
const seconds = (): number => Math.round(performance.now() - started) / 1000;
const onProgress = (checked: number): void =>
  progress(`${checked.toLocaleString('en-GB')} events verified (${Math.round(checked / seconds())}/s)`);
const jwks = values.jwks ? (JSON.parse(readFileSync(values.jwks, 'utf8')) as JSONWebKeySet) : undefined;

async function withDatabase<T>(work: (dataSource: ReturnType<typeof createDataSource>) => Promise<T>): Promise<T> {
  const dataSource = createDataSource(loadConfigFromProcess().databaseUrl);
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

function report(result: AuditVerification): void {
  const { ok, checked, head, firstBroken, checkpoints } = result;
  if (firstBroken) progress(`BROKEN at seq ${firstBroken.seq} (${firstBroken.reason}): ${firstBroken.message}`);
  if (checkpoints.invalid) progress(`BAD CHECKPOINT at seq ${checkpoints.invalid.seq}: ${checkpoints.invalid.message}`);
  console.log(JSON.stringify({ ok, checked, head, firstBroken, checkpoints, seconds: seconds() }));
  process.exitCode = ok ? 0 : 1;
}

async function main(): Promise<void> {
  switch (command) {
    case 'verify': {
      if (values.file) {
        progress(`verifying the export ${values.file}`);
        const input = values.file === '-' ? process.stdin : createReadStream(values.file);
        const lines = createInterface({ input, crlfDelay: Infinity });
        report(await verifyAuditExport(lines, { jwks, onProgress }));
      } else {
        progress(`verifying the database chain, ${pageSize.toLocaleString('en-GB')} events a page`);
        report(await withDatabase((ds) => new AuditVerifier(ds).verify({ pageSize, jwks, onProgress })));
      }
      break;
    }
    case 'export': {
      await withDatabase(async (ds) => {
        const lines = Readable.from(exportAuditLines(ds, { exportedAt: systemClock.now(), pageSize }));
        await pipeline(lines, values.out ? createWriteStream(values.out) : process.stdout);
      });
      progress(`exported in ${seconds()} s`);
      break;
    }
    case 'checkpoint': {
      // Operators' fallback until a scheduled job signs checkpoints: signs with the active broker key.
      const outcome = await withDatabase(async (ds) => {
        const signer: CheckpointSigner = {
          signingKey: async () => {
            const [row] = (await ds.query(
              `SELECT kid, alg, private_jwk FROM broker_signing_key WHERE status = 'active' ORDER BY created_at DESC LIMIT 1`,
            )) as Array<{ kid: string; alg: string; private_jwk: JWK }>;
            if (!row) throw new Error('the broker has no active signing key (start the api once)');
            return { kid: row.kid, key: await importJWK(row.private_jwk, row.alg) };
          },
        };
        return createCheckpoint(ds, signer, systemClock);
      });
      console.log(JSON.stringify(outcome));
      process.exitCode = outcome.status === 'refused' ? 1 : 0;
      break;
    }
    default:
      console.error(usage);
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  progress(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
