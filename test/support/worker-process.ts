import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, type TestDatabase } from '@joinedup/testing';

/**
 * The worker as its own operating-system process, built as `npm start` runs it (dist/, built by
 * `npm test` before jest), so a test can SIGKILL it the way a crash would. Ready when healthy.
 */
export class WorkerProcess {
  private child?: ChildProcess;
  port = 0;
  private stderr = '';

  constructor(
    private readonly db: TestDatabase,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    this.port = await freePort();
    this.child = spawn(process.execPath, ['dist/apps/worker/src/main.js'], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: this.db.appUrl,
        DATABASE_OWNER_URL: this.db.ownerUrl,
        WORKER_PORT: String(this.port),
        WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
        WEBHOOK_RETRY_BASE_MS: '50',
        WEBHOOK_TIMEOUT_MS: '2000',
        DELIVERY_SWEEP_SECONDS: '1',
        ...this.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Its stderr is kept (the last few KB) for the error when it fails to start; a Redis restart is noisy.
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`worker exited with ${this.child.exitCode}: ${this.stderr}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('worker did not become ready');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A crash: no shutdown hooks, active jobs left locked until they stall. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
