/**
 * Runs the Slack, Telegram and Teams doubles in their own process:
 *
 *   SLACK_DOUBLE_PORT=8701 node libs/testkit/src/doubles/doubles-main.ts
 *
 * Ports come from SLACK_DOUBLE_PORT, TELEGRAM_DOUBLE_PORT and
 * TEAMS_DOUBLE_PORT (unset: a free port). Once all three listen, exactly one
 * JSON line goes to stdout — {"slack":{"url","port"},"telegram":{…},"teams":{…}} —
 * so whoever started the process knows where to point plugins. SIGTERM or
 * SIGINT closes them and exits 0; a second signal exits at once.
 */
import { portsFromEnv, startDoubles } from './start-doubles.ts';

const EXIT_BAD_ENV = 2;
const EXIT_START_FAILED = 1;

const read = portsFromEnv(process.env);
if ('problems' in read) {
  for (const { variable, message } of read.problems)
    process.stderr.write(`doubles: ${variable}: ${message}\n`);
  process.exit(EXIT_BAD_ENV);
}

let doubles: Awaited<ReturnType<typeof startDoubles>>;
try {
  doubles = await startDoubles(read.ports);
} catch (error) {
  process.stderr.write(
    `doubles: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(EXIT_START_FAILED);
}

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) {
    process.stderr.write(`doubles: ${signal} again, exiting without waiting\n`);
    process.exit(EXIT_START_FAILED);
  }
  stopping = true;
  doubles.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`doubles: close failed: ${String(error)}\n`);
      process.exit(EXIT_START_FAILED);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

process.stdout.write(`${JSON.stringify(doubles.describe())}\n`);
