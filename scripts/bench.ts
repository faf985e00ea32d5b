// `npm run bench`: the benchmarks — timing lives here, never in pass/fail
// tests. Each runs in its own process against the real parts it needs:
//   rule matching cost for 10, 100 and 1,000 rules (libs/rules)
//   delivery throughput and latency through the real Traefik (libs/delivery)
//   elastic plugin indexing throughput into a real OpenSearch (apps/elastic)
// The machine is shared: compare numbers from the same run, not across runs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCHES = [
  'libs/rules/bench/match.ts',
  'libs/delivery/bench/delivery.ts',
  'apps/elastic/bench/index-throughput.ts',
];
const only = process.argv.slice(2);
let failed = 0;
for (const bench of BENCHES.filter((b) => only.length === 0 || only.some((o) => b.includes(o)))) {
  process.stdout.write(`\n== ${bench}\n`);
  const result = spawnSync(process.execPath, [join(ROOT, bench)], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`!! ${bench} exited ${result.status}\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
