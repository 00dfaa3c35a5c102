import { z } from 'zod';

/**
 * Durations as operators write them in the curation file: a whole number and a unit, `30s`,
 * `5m`, `1h`, `1d` (`ms` too, for tests and tight settings). Parsed once, at load.
 */
const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return Number.isSafeInteger(ms) ? ms : null;
}

/** A zod field for a duration: the text in, milliseconds out; a bad one is an issue at its path. */
export function durationMs(options: { min?: number } = {}) {
  return z.string().transform((text, context) => {
    const ms = parseDuration(text);
    if (ms === null) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `"${text}" is not a duration (a whole number and a unit: 500ms, 30s, 5m, 1h, 1d)` });
      return z.NEVER;
    }
    if (options.min !== undefined && ms < options.min) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `"${text}" is shorter than the minimum of ${options.min} ms` });
      return z.NEVER;
    }
    return ms;
  });
}

/** A size in bytes: a number, or text with a unit (`64MB`, `512KB`, `1GB`; binary multiples). */
const SIZE = /^(\d+)\s*(B|KB|MB|GB)$/i;
const UNIT_BYTES: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function bytes() {
  return z.union([z.number().int().min(0), z.string()]).transform((value, context) => {
    if (typeof value === 'number') return value;
    const match = SIZE.exec(value.trim());
    if (!match) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `"${value}" is not a size (a number of bytes, or e.g. 512KB, 64MB, 1GB)` });
      return z.NEVER;
    }
    return Number(match[1]) * UNIT_BYTES[match[2]!.toLowerCase()]!;
  });
}
