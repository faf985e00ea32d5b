import type { DoubleServerOptions } from './double-server.ts';
import { type SlackDouble, startSlackDouble } from './slack.ts';
import { startTeamsDouble, type TeamsDouble } from './teams.ts';
import { startTelegramDouble, type TelegramDouble } from './telegram.ts';

export interface DoublePorts {
  readonly slack?: number;
  readonly telegram?: number;
  readonly teams?: number;
}

/** Where each double listens, and the URL a plugin is configured with. */
export interface DoublesDescription {
  readonly slack: { readonly url: string; readonly port: number };
  readonly telegram: { readonly url: string; readonly port: number };
  readonly teams: { readonly url: string; readonly port: number };
}

export interface Doubles {
  readonly slack: SlackDouble;
  readonly telegram: TelegramDouble;
  readonly teams: TeamsDouble;
  describe(): DoublesDescription;
  close(): Promise<void>;
}

export const DOUBLE_PORT_ENV = {
  slack: 'SLACK_DOUBLE_PORT',
  telegram: 'TELEGRAM_DOUBLE_PORT',
  teams: 'TEAMS_DOUBLE_PORT',
} as const;

export interface PortProblem {
  readonly variable: string;
  readonly message: string;
}

/** Reads the three ports from the environment; unset or empty means 0 (a free port). */
export function portsFromEnv(env: NodeJS.ProcessEnv): { ports: DoublePorts } | { problems: PortProblem[] } {
  const ports: Record<string, number> = {};
  const problems: PortProblem[] = [];
  for (const [name, variable] of Object.entries(DOUBLE_PORT_ENV)) {
    const raw = env[variable]?.trim() ?? '';
    const port = raw === '' ? 0 : Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      problems.push({ variable, message: `expected a port from 0 to 65535, got ${JSON.stringify(raw)}` });
    } else {
      ports[name] = port;
    }
  }
  return problems.length > 0 ? { problems } : { ports };
}

/**
 * Starts the Slack, Telegram and Teams doubles together. If one cannot
 * listen, the others are closed again before the error is rethrown, so a
 * failed start leaves no server behind.
 */
export async function startDoubles(
  ports: DoublePorts = {},
  options: DoubleServerOptions = {},
): Promise<Doubles> {
  const started = await Promise.allSettled([
    startSlackDouble({ ...options, port: ports.slack ?? 0 }),
    startTelegramDouble({ ...options, port: ports.telegram ?? 0 }),
    startTeamsDouble({ ...options, port: ports.teams ?? 0 }),
  ]);
  const [slack, telegram, teams] = started;
  if (slack?.status !== 'fulfilled' || telegram?.status !== 'fulfilled' || teams?.status !== 'fulfilled') {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    const failure = started.find((s) => s.status === 'rejected');
    throw failure?.reason;
  }
  const doubles = { slack: slack.value, telegram: telegram.value, teams: teams.value };
  return {
    ...doubles,
    describe: () => ({
      slack: { url: doubles.slack.webhookUrl, port: doubles.slack.port },
      telegram: { url: doubles.telegram.apiUrl, port: doubles.telegram.port },
      teams: { url: doubles.teams.webhookUrl, port: doubles.teams.port },
    }),
    close: async () => {
      await Promise.all([doubles.slack.close(), doubles.telegram.close(), doubles.teams.close()]);
    },
  };
}
