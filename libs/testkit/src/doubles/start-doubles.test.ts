import { createServer } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePorts } from '../ports.ts';
import { portsFromEnv, startDoubles } from './start-doubles.ts';

test('portsFromEnv reads the three variables, unset meaning 0', () => {
  assert.equal(portsFromEnv({}), { ports: { slack: 0, telegram: 0, teams: 0 } });
  assert.equal(
    portsFromEnv({ SLACK_DOUBLE_PORT: '8701', TELEGRAM_DOUBLE_PORT: ' 8702 ', TEAMS_DOUBLE_PORT: '' }),
    {
      ports: { slack: 8701, telegram: 8702, teams: 0 },
    },
  );
});

test('portsFromEnv names every bad variable', () => {
  assert.equal(
    portsFromEnv({ SLACK_DOUBLE_PORT: 'abc', TEAMS_DOUBLE_PORT: '70000', TELEGRAM_DOUBLE_PORT: '1.5' }),
    {
      problems: [
        { variable: 'SLACK_DOUBLE_PORT', message: 'expected a port from 0 to 65535, got "abc"' },
        { variable: 'TELEGRAM_DOUBLE_PORT', message: 'expected a port from 0 to 65535, got "1.5"' },
        { variable: 'TEAMS_DOUBLE_PORT', message: 'expected a port from 0 to 65535, got "70000"' },
      ],
    },
  );
});

test('startDoubles starts all three on the ports asked for and describes them', async () => {
  const [slackPort, telegramPort, teamsPort] = (await freePorts(3)) as [number, number, number];
  const doubles = await startDoubles({ slack: slackPort, telegram: telegramPort, teams: teamsPort });
  try {
    const described = doubles.describe();
    assert.equal(
      [described.slack.port, described.telegram.port, described.teams.port],
      [slackPort, telegramPort, teamsPort],
    );
    assert.is(
      described.slack.url,
      `http://127.0.0.1:${slackPort}/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
    );
    assert.is(described.telegram.url, `http://127.0.0.1:${telegramPort}`);
    assert.ok(
      described.teams.url.startsWith(`http://127.0.0.1:${teamsPort}/workflows/`),
      described.teams.url,
    );
    const slack = await fetch(described.slack.url, { method: 'POST', body: '{"text":"hi"}' });
    assert.equal([slack.status, await slack.text()], [200, 'ok']);
  } finally {
    await doubles.close();
  }
});

test('when one port is taken, startDoubles fails and leaves nothing listening', async () => {
  const [slackPort, telegramPort, teamsPort] = (await freePorts(3)) as [number, number, number];
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(teamsPort, '127.0.0.1', resolve));
  try {
    let failed = false;
    try {
      const doubles = await startDoubles({ slack: slackPort, telegram: telegramPort, teams: teamsPort });
      await doubles.close();
    } catch (error) {
      failed = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    }
    assert.ok(failed, 'expected EADDRINUSE');
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(slackPort, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => again.close(resolve));
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test.run();
