import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startProcess, waitUntil } from './managed-process.ts';
import { StackError } from './stack-error.ts';

const DOUBLES_MAIN = fileURLToPath(new URL('./doubles/doubles-main.ts', import.meta.url));
const DOUBLES_READY_TIMEOUT_MS = 20_000;

interface DoublesLine {
  slack: { url: string; port: number };
  telegram: { url: string; port: number };
  teams: { url: string; port: number };
}

export interface DoublesProcess {
  pid: number;
  logFile: string;
  endpoints: { slack: string; telegram: string; teams: string; control: Record<string, string> };
  stop(): Promise<void>;
}

/**
 * Runs the three channel doubles in a process of their own, so they outlive
 * `npm run stack -- up`; their switches are then flipped over HTTP
 * (`/_double/control` on each double's port).
 */
export async function startDoublesProcess(options: { logFile: string }): Promise<DoublesProcess> {
  const doubles = startProcess({
    name: 'channel-doubles',
    command: process.execPath,
    args: [DOUBLES_MAIN],
    logFile: options.logFile,
  });
  let line: DoublesLine | undefined;
  try {
    await waitUntil(
      async () => {
        if (!existsSync(options.logFile)) return false;
        const first = readFileSync(options.logFile, 'utf8')
          .split('\n')
          .find((l) => l.startsWith('{'));
        if (first) line = JSON.parse(first) as DoublesLine;
        return line !== undefined;
      },
      { what: 'the channel doubles to listen', timeoutMs: DOUBLES_READY_TIMEOUT_MS, process: doubles },
    );
  } catch (error) {
    await doubles.stop();
    throw error;
  }
  if (!line) throw new StackError('start-failed', 'the channel doubles printed no endpoints');
  const base = (port: number) => `http://127.0.0.1:${port}/_double`;
  return {
    pid: doubles.pid,
    logFile: doubles.logFile,
    endpoints: {
      slack: line.slack.url,
      telegram: line.telegram.url,
      teams: line.teams.url,
      control: {
        slack: base(line.slack.port),
        telegram: base(line.telegram.port),
        teams: base(line.teams.port),
      },
    },
    stop: () => doubles.stop(),
  };
}
