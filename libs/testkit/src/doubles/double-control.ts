import type { AutoRateLimit } from './token-bucket.ts';

/** Longest delay `slow` accepts: a forgotten switch should not hang a suite for hours. */
export const MAX_SLOW_MS = 600_000;

/** The mode every double understands: close the connection without an answer. */
export const DROP_MODE = 'drop';

/**
 * One switch of a double, as sent to `POST /_double/control` (a single object
 * or an array applied in order) and as applied by the programmatic methods.
 */
export type ControlCommand =
  | { readonly action: 'fail'; readonly mode: string; readonly count?: number }
  | { readonly action: 'rateLimit'; readonly retryAfterSeconds: number; readonly count?: number }
  | { readonly action: 'slow'; readonly ms: number }
  | { readonly action: 'autoRateLimit'; readonly limit: AutoRateLimit | null }
  | { readonly action: 'reset' };

export interface ControlError {
  /** Path of the offending field, e.g. `count` or `[1].mode`. */
  readonly field: string;
  readonly message: string;
}

export type ControlParse =
  | { readonly ok: true; readonly commands: ControlCommand[] }
  | { readonly ok: false; readonly errors: ControlError[] };

const ACTIONS = ['fail', 'rateLimit', 'slow', 'autoRateLimit', 'reset'] as const;

/**
 * Validates control JSON against the modes this double knows. Returns every
 * problem with the field it concerns, so a script flipping a switch over HTTP
 * learns what to fix from one answer.
 */
export function parseControl(input: unknown, modes: readonly string[]): ControlParse {
  const items = Array.isArray(input) ? input : [input];
  const prefix = (index: number) => (Array.isArray(input) ? `[${index}].` : '');
  const commands: ControlCommand[] = [];
  const errors: ControlError[] = [];
  if (items.length === 0) errors.push({ field: '', message: 'expected at least one command' });
  items.forEach((item, index) => {
    const result = parseCommand(item, modes, prefix(index));
    if ('command' in result) commands.push(result.command);
    else errors.push(...result.errors);
  });
  return errors.length === 0 ? { ok: true, commands } : { ok: false, errors };
}

type CommandParse = { command: ControlCommand } | { errors: ControlError[] };

function parseCommand(item: unknown, modes: readonly string[], prefix: string): CommandParse {
  if (!isRecord(item)) return { errors: [{ field: prefix || '', message: 'expected an object' }] };
  const errors: ControlError[] = [];
  const fail = (field: string, message: string) => errors.push({ field: prefix + field, message });
  const action = item.action;
  switch (action) {
    case 'fail': {
      const mode = item.mode;
      if (typeof mode !== 'string' || !modes.includes(mode)) {
        fail('mode', `expected one of ${modes.map((m) => JSON.stringify(m)).join(', ')}`);
      }
      const count = optionalCount(item.count, fail);
      if (errors.length > 0) return { errors };
      return { command: { action, mode: mode as string, ...(count === undefined ? {} : { count }) } };
    }
    case 'rateLimit': {
      const retryAfterSeconds = item.retryAfterSeconds;
      if (!isWholeNumber(retryAfterSeconds) || retryAfterSeconds < 0) {
        fail('retryAfterSeconds', 'expected a whole number of seconds, 0 or more');
      }
      const count = optionalCount(item.count, fail);
      if (errors.length > 0) return { errors };
      return {
        command: {
          action,
          retryAfterSeconds: retryAfterSeconds as number,
          ...(count === undefined ? {} : { count }),
        },
      };
    }
    case 'slow': {
      const ms = item.ms;
      if (!isWholeNumber(ms) || ms < 0 || ms > MAX_SLOW_MS) {
        fail('ms', `expected a whole number of milliseconds from 0 to ${MAX_SLOW_MS}`);
        return { errors };
      }
      return { command: { action, ms } };
    }
    case 'autoRateLimit': {
      const limit = item.limit;
      if (limit === null) return { command: { action, limit: null } };
      if (!isRecord(limit)) {
        fail('limit', 'expected {"ratePerSecond": number, "burst": number} or null to switch it off');
        return { errors };
      }
      const ratePerSecond = limit.ratePerSecond;
      const burst = limit.burst;
      if (typeof ratePerSecond !== 'number' || !Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
        fail('limit.ratePerSecond', 'expected a number above 0');
      }
      if (!isWholeNumber(burst) || burst < 1) fail('limit.burst', 'expected a whole number, 1 or more');
      if (errors.length > 0) return { errors };
      return {
        command: { action, limit: { ratePerSecond: ratePerSecond as number, burst: burst as number } },
      };
    }
    case 'reset':
      return { command: { action } };
    default:
      fail('action', `expected one of ${ACTIONS.map((a) => JSON.stringify(a)).join(', ')}`);
      return { errors };
  }
}

function optionalCount(value: unknown, fail: (field: string, message: string) => void): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isWholeNumber(value) || value < 1) {
    fail('count', 'expected a whole number, 1 or more (leave it out for "until reset")');
    return undefined;
  }
  return value;
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
