import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Lakegate as users run it: `lakegate serve` in a process of its own, so its memory and exit can be watched. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Resident set size now, in bytes (Linux `/proc`). */
  rssBytes(): number;
  /** Lines the server wrote to stderr (anything not JSON there is a false alarm for an operator). */
  stderrLines(): readonly string[];
  /** Lines of stdout that are not JSON. */
  nonJsonStdout(): readonly string[];
  /** Log lines of stdout (JSON) for which `match` holds, counted as they arrive. */
  countLogLines(match: (entry: Record<string, unknown>) => boolean): () => number;
  /** Sends a signal; resolves with the exit code once the process ends. */
  signal(name: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `dist/src/cli.js serve` on `config` and waits until /readyz answers. With `stdout:
 * 'ignore'` the server's log goes nowhere, so reading it costs this process nothing (a bench).
 */
export async function startServer(config: string, env: Readonly<Record<string, string>>, options: { stdout?: 'watch' | 'ignore' } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve('dist/src/cli.js'), 'serve', '--config', config], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: env['LOG_LEVEL'] ?? process.env['LOG_LEVEL'] ?? 'warn' },
    stdio: ['ignore', options.stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  const nonJson: string[] = [];
  const counters: { match: (entry: Record<string, unknown>) => boolean; count: number }[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(...chunk.split('\n').filter(Boolean)));
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      const entry = parseJson(line);
      if (!entry) nonJson.push(line);
      else for (const counter of counters) if (counter.match(entry)) counter.count += 1;
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return {
    url,
    pid: child.pid!,
    rssBytes: () => rssOf(child.pid!),
    stderrLines: () => stderr,
    nonJsonStdout: () => nonJson,
    countLogLines: (match) => {
      const counter = { match, count: 0 };
      counters.push(counter);
      return () => counter.count;
    },
    signal: async (name) => {
      child.kill(name);
      return exited;
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it was ready`);
    const ready = await fetch(`${url}/readyz`).then((response) => response.ok, () => false);
    if (ready) return;
    await sleep(100);
  }
  throw new Error('the server did not become ready within 60 s');
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}

function parseJson(line: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
