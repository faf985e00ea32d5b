// Renders an example card to docs/card.png with Microsoft's adaptivecards
// renderer in headless Chromium, so the README shows what arrives in Teams.
//   node apps/teams/docs/render-card.ts [path/to/chromium]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adaptiveCard } from '../src/adaptive-card.ts';

const WINDOW = '620,400';
const chromium = process.argv[2] ?? '/usr/bin/chromium';
const out = fileURLToPath(new URL('card.png', import.meta.url));
const bundle = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');

const card = adaptiveCard({
  title: 'Deployment shop/web rolled out',
  text: 'Rollout completed: 3 of 3 replicas updated and available.',
  severity: 'SEVERITY_SUCCESS',
  fields: [
    { name: 'Namespace', value: 'shop', short: true },
    { name: 'Deployment', value: 'web', short: true },
    { name: 'Revision', value: '7', short: true },
    { name: 'By', value: 'expert@org.com', short: true },
  ],
  links: [
    { title: 'Open dashboard', url: 'https://grafana.example.com/d/shop-web' },
    { title: 'Runbook', url: 'https://wiki.example.com/runbooks/web' },
  ],
  context: 'cluster prod · 2026-11-24T14:02:11Z',
});
if ('errors' in card) throw new Error(card.errors.join('; '));

const page = `<!doctype html><html><head><meta charset="utf-8">
<style>
  body { margin: 0; background: #f5f5f5; font-family: "Segoe UI", "DejaVu Sans", sans-serif; }
  .post { margin: 16px; background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); padding: 12px 16px; }
  .who { font-size: 13px; color: #424242; margin-bottom: 8px; }
  .who b { color: #242424; }
  .ac-pushButton { border: 1px solid #d1d1d1; background: #fff; border-radius: 4px; padding: 6px 12px;
    font-weight: 600; color: #242424; cursor: pointer; }
</style></head><body>
<div class="post"><div class="who"><b>Workflows</b> &nbsp;14:02 &nbsp;· via k8slistener</div><div id="card"></div></div>
<script src="adaptivecards.min.js"></script>
<script>
  const card = new AdaptiveCards.AdaptiveCard();
  // Teams' light theme, roughly: tinted backgrounds for the severity styles.
  const tint = (backgroundColor) => ({ backgroundColor });
  card.hostConfig = new AdaptiveCards.HostConfig({
    fontFamily: '"Segoe UI", "DejaVu Sans", sans-serif',
    containerStyles: {
      default: tint('#FFFFFF'), emphasis: tint('#F5F5F5'), accent: tint('#E8EBFA'),
      good: tint('#E7F4E4'), attention: tint('#FDE7E9'), warning: tint('#FFF4CE'),
    },
  });
  card.parse(${JSON.stringify(card.value)});
  document.getElementById('card').appendChild(card.render());
</script></body></html>`;

const dir = mkdtempSync(join(tmpdir(), 'teams-card-'));
try {
  copyFileSync(bundle, join(dir, 'adaptivecards.min.js'));
  writeFileSync(join(dir, 'card.html'), page);
  execFileSync(chromium, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    `--user-data-dir=${join(dir, 'profile')}`,
    `--screenshot=${out}`,
    `--window-size=${WINDOW}`,
    `file://${join(dir, 'card.html')}`,
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`wrote ${out}\n`);
