import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { setupDatabase } from '@joinedup/persistence';
import { freePort } from '@joinedup/testing';

export const progress = (message: string): void => void process.stderr.write(`${message}\n`);

/** The platform admin each bench's api is bootstrapped with. */
export const BENCH_ADMIN = { email: 'bench-admin@bench.invalid', password: 'bench-admin-password' };

/** What a bench's api (and worker) run with: its database, its Redis prefix, the bench admin, `extra`. */
export function benchEnv(
  db: { appUrl: string; ownerUrl: string },
  redisPrefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    REDIS_PREFIX: redisPrefix,
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...extra,
  };
}

/**
 * An agency system's side: JSON requests over node:http with keep-alive. (`fetch` cost the bench process,
 * which shares the 2 cores with the broker, about 1 ms of CPU per request.)
 */
export function keepAliveClient(base: string, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const call = (token: string, method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(`${base}${path}`, {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as Record<string, unknown> });
        });
      });
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A fresh, migrated database for one benchmark run. */
export async function benchDatabase(name: string): Promise<{ ownerUrl: string; appUrl: string }> {
  const owner = new URL(process.env.DATABASE_OWNER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const app = new URL(process.env.DATABASE_URL ?? 'postgres://joinedup_app:joinedup_app@127.0.0.1:5432/joinedup');
  owner.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: owner.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  owner.pathname = `/${name}`;
  app.pathname = `/${name}`;
  await setupDatabase(owner.toString(), app.toString());
  return { ownerUrl: owner.toString(), appUrl: app.toString() };
}

/** `BENCH_PROFILE=<dir>`: the api and worker write V8 CPU profiles there when they exit (open in Chrome DevTools). */
const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];

/** A child's peak resident memory so far (Linux), in MB. */
function peakRssMb(child: ChildProcess): number {
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
}

/** Starts the built api (dist/) as its own process, as production runs it. */
export async function startBuiltApi(
  env: Record<string, string>,
): Promise<{ base: string; process: ChildProcess; peakRssMb(): number; stop(): Promise<void> }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('node', [...profile, 'dist/apps/api/src/main.js'], {
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), PUBLIC_URL: base, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    process: child,
    peakRssMb: () => peakRssMb(child),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts the built worker (dist/) as its own process. */
export async function startBuiltWorker(
  env: Record<string, string>,
): Promise<{ port: number; peakRssMb(): number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn('node', [...profile, 'dist/apps/worker/src/main.js'], {
    // BENCH_WORKER_LOG=info shows the workers' logs (a batch merge logs each stage with its time).
    env: { ...process.env, LOG_LEVEL: process.env.BENCH_WORKER_LOG ?? 'warn', WORKER_PORT: String(port), ...env },
    stdio: ['ignore', process.env.BENCH_WORKER_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
  for (let i = 0; i < 150; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    peakRssMb: () => peakRssMb(child),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The value at quantile q (0..1) of the values, nearest rank. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
