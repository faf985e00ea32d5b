import { type ConsolaInstance, type ConsolaReporter, createConsola, type LogObject } from 'consola';
import { redact, redactString } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'pretty';
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** A logger that adds these fields to every line. */
  child(bindings: Fields): Logger;
}

export interface LoggerOptions {
  /** Component name, e.g. "listener" or "slack"; every line carries it. */
  name: string;
  level?: LogLevel;
  format?: LogFormat;
  /** Where JSON lines go; stdout by default. */
  write?: (line: string) => void;
  now?: () => Date;
}

const CONSOLA_LEVEL: Record<LogLevel, number> = { error: 0, warn: 1, info: 3, debug: 4 };
const LEVEL_NAME: Record<number, LogLevel> = {
  0: 'error',
  1: 'warn',
  2: 'info',
  3: 'info',
  4: 'debug',
  5: 'debug',
};

/** Reads LOG_LEVEL and LOG_FORMAT; JSON unless stdout is a terminal. Returns errors naming the bad setting. */
export function loggerSettings(
  env: NodeJS.ProcessEnv,
  isTty: boolean,
): { level: LogLevel; format: LogFormat } | { errors: string[] } {
  const errors: string[] = [];
  const level = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!(level in CONSOLA_LEVEL))
    errors.push(`LOG_LEVEL must be one of debug, info, warn, error; got "${env.LOG_LEVEL}"`);
  const format = (env.LOG_FORMAT ?? (isTty ? 'pretty' : 'json')).toLowerCase();
  if (format !== 'json' && format !== 'pretty')
    errors.push(`LOG_FORMAT must be json or pretty; got "${env.LOG_FORMAT}"`);
  return errors.length > 0 ? { errors } : { level: level as LogLevel, format: format as LogFormat };
}

function jsonReporter(name: string, write: (line: string) => void, now: () => Date): ConsolaReporter {
  return {
    log(entry: LogObject) {
      const [message, fields] = entry.args as [unknown, Fields | undefined];
      write(
        `${JSON.stringify({
          time: now().toISOString(),
          level: LEVEL_NAME[entry.level] ?? 'info',
          logger: name,
          msg: redactString(String(message)),
          ...(redact(fields ?? {}) as Fields),
        })}\n`,
      );
    },
  };
}

/**
 * Structured logs: one JSON object per line in production (time, level,
 * logger, msg, then the fields), consola's readable lines on a terminal.
 * Every field and message passes through redact(), so a secret that slips
 * into a log call is not written.
 */
export function createLogger(options: LoggerOptions): Logger {
  const format = options.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const level = CONSOLA_LEVEL[options.level ?? 'info'];
  const consola: ConsolaInstance =
    format === 'json'
      ? createConsola({
          level,
          reporters: [
            jsonReporter(
              options.name,
              options.write ?? ((line) => process.stdout.write(line)),
              options.now ?? (() => new Date()),
            ),
          ],
        })
      : createConsola({ level, fancy: true, formatOptions: { date: true, colors: true } }).withTag(
          options.name,
        );
  return wrap(consola, {}, format);
}

function wrap(consola: ConsolaInstance, bindings: Fields, format: LogFormat): Logger {
  const emit = (method: LogLevel, message: string, fields?: Fields) => {
    const all = { ...bindings, ...fields };
    if (format === 'json') {
      consola[method](message, all);
    } else {
      const pairs = Object.entries(redact(all) as Fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      consola[method](`${redactString(message)}${pairs ? `  ${pairs}` : ''}`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (more) => wrap(consola, { ...bindings, ...more }, format),
  };
}
