export {
  createLogger,
  type Fields,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  loggerSettings,
} from './logger.ts';
export { REDACTED, redact, redactString } from './redact.ts';
