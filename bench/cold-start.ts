import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchClient, freePort } from './http.js';

export type StartSample = { startMs: number; rssMb: number };

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function waitForHealth(url: string, child: ChildProcess, deadlineMs: number) {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      await res.text();
      if (res.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > deadlineMs) throw new Error('no /healthz answer in time');
    await sleep(5);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = sleep(5000).then(() => child.kill('SIGKILL'));
  await Promise.race([exited, timeout]);
  await exited;
}

/**
 * Starts the real server as `npm start` would (node dist/main.js, built first), times it
 * to the first /healthz answer, makes a few requests as a signed-in administrator, and
 * reads its resident memory after it has settled.
 */
export async function coldStart(opts: {
  root: string;
  env: Record<string, string>;
  admin: { email: string; password: string };
}): Promise<StartSample> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: opts.root,
    env: {
      PATH: process.env['PATH'] ?? '',
      ...opts.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, child, 30_000);
    const startMs = performance.now() - started;
    const client = new BenchClient(url);
    await client.logIn(opts.admin.email, opts.admin.password);
    for (const path of [
      '/',
      '/members',
      '/members?q=hansen',
      '/members?sort=name&page=3',
      '/healthz',
    ])
      await client.timedGet(path);
    await sleep(1000);
    return { startMs, rssMb: rssMb(child.pid!) };
  } catch (err) {
    throw new Error(`cold start failed: ${(err as Error).message}\n${stderr}`);
  } finally {
    await stop(child);
  }
}
