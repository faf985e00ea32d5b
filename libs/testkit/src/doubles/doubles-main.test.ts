import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort } from '../ports.ts';

const MAIN = fileURLToPath(new URL('./doubles-main.ts', import.meta.url));
/** Generous: a cold start of the runtime on a busy machine. */
const START_TIMEOUT_MS = 20_000;

/** Runs doubles-main with the runtime running this test (Node or Bun). */
function run(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [MAIN], {
    env: { ...process.env, SLACK_DOUBLE_PORT: '', TELEGRAM_DOUBLE_PORT: '', TEAMS_DOUBLE_PORT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
  });
  return () => text;
}

async function firstLine(child: ChildProcess, stdout: () => string): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!stdout().includes('\n')) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before printing`);
    if (Date.now() > deadline) throw new Error('no line on stdout in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return stdout().slice(0, stdout().indexOf('\n'));
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`prints one JSON line once listening and exits 0 on ${signal}`, async () => {
    const slackPort = await freePort();
    const child = run({ SLACK_DOUBLE_PORT: String(slackPort) });
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    try {
      const line = await firstLine(child, stdout);
      const described = JSON.parse(line);
      assert.equal(Object.keys(described), ['slack', 'telegram', 'teams']);
      assert.is(described.slack.port, slackPort);
      assert.is(
        described.slack.url,
        `http://127.0.0.1:${slackPort}/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
      );
      assert.is(described.telegram.url, `http://127.0.0.1:${described.telegram.port}`);
      const slack = await fetch(described.slack.url, { method: 'POST', body: '{"text":"hi"}' });
      assert.equal([slack.status, await slack.text()], [200, 'ok']);
      const teams = await fetch(described.teams.url, {
        method: 'POST',
        body: JSON.stringify({
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              content: { type: 'AdaptiveCard', version: '1.4', body: [] },
            },
          ],
        }),
      });
      assert.is(teams.status, 202);
      child.kill(signal);
      assert.is(await exitOf(child), 0, stderr());
      assert.is(stdout(), `${line}\n`, 'exactly one line on stdout');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
}

test('a bad port variable exits 2 naming it', async () => {
  const child = run({ TELEGRAM_DOUBLE_PORT: 'http' });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  assert.is(await exitOf(child), 2);
  assert.is(stdout(), '');
  assert.is(stderr(), 'doubles: TELEGRAM_DOUBLE_PORT: expected a port from 0 to 65535, got "http"\n');
});

test.run();
