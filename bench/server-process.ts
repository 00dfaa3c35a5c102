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

/** Starts `dist/src/cli.js serve` on `config` and waits until /readyz answers. */
export async function startServer(config: string, env: Readonly<Record<string, string>>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve('dist/src/cli.js'), 'serve', '--config', config], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  const nonJson: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(...chunk.split('\n').filter(Boolean)));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => nonJson.push(...chunk.split('\n').filter((line) => line && !isJson(line))));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return {
    url,
    pid: child.pid!,
    rssBytes: () => rssOf(child.pid!),
    stderrLines: () => stderr,
    nonJsonStdout: () => nonJson,
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

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
