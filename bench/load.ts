import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** autocannon's command line: the load comes from a process of its own, as a user would measure it. */
const AUTOCANNON = require.resolve('autocannon/autocannon.js');
/** After each window, requests still running on the server finish before the next window starts. */
const DRAIN_MS = 3_000;

/** One HTTP request to load: the same POST again and again. */
export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly rounds: number;
}

/**
 * Loads each target with autocannon (in a process of its own) in interleaved rounds (A B C, A B
 * C, ...) so warm-up, CPU frequency and the other processes on the machine favour none, and
 * reports each target's medians over the rounds. Non-2xx answers count as errors.
 */
export async function loadRounds(targets: readonly LoadTarget[], options: LoadOptions): Promise<Map<string, LoadFigures>> {
  const samples = new Map<string, LoadFigures[]>(targets.map((target) => [target.name, []]));
  for (let round = 0; round < options.rounds; round += 1) {
    for (const target of targets) samples.get(target.name)!.push(await loadOnce(target, options));
  }
  return new Map([...samples].map(([name, runs]) => [name, {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  }]));
}

interface AutocannonResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly non2xx: number;
}

async function loadOnce(target: LoadTarget, options: LoadOptions): Promise<LoadFigures> {
  const headers = Object.entries({ 'content-type': 'application/json', ...target.headers }).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
  const { stdout } = await run(process.execPath, [
    AUTOCANNON, '--json', '-c', String(options.connections), '-d', String(options.seconds), '-m', 'POST', ...headers, '-b', target.body, target.url,
  ], { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as AutocannonResult;
  await sleep(DRAIN_MS);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function formatLoad(name: string, figures: LoadFigures): string {
  return `${name.padEnd(52)} ${figures.requestsPerSecond.toFixed(0).padStart(8)} ${figures.p50Ms.toFixed(1).padStart(8)} ${figures.p99Ms.toFixed(1).padStart(8)}${figures.errors ? `  (${figures.errors} errors)` : ''}`;
}
