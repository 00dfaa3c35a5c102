import request from 'supertest';
import type { Lakegate } from '../../src/server/app';

/** `GET /metrics` of an app, as text (fails the test unless 200). */
export async function scrape(lakegate: Lakegate, token?: string): Promise<string> {
  const call = request(lakegate.app).get('/metrics');
  const response = await (token ? call.set('Authorization', `Bearer ${token}`) : call);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${response.text}`);
  return response.text;
}

/**
 * The value of one sample in Prometheus text: `name` with exactly these labels (in any order);
 * 0 when the series is absent (a counter never incremented).
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(/,(?=[a-zA-Z_]\w*=")/).filter(Boolean).sort().join(',');
    if (present === wanted) return Number(match[3]);
  }
  return 0;
}
