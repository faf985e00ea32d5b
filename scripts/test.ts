// `npm test`: type-check, lint, generated-types drift, unit tests on Node,
// the same unit tests on Bun, then the integration tests against the real local
// stack. Every test file runs in its own process (a crash or hang fails that
// file, not the run). Ends with one line: `N passed, M failed, K skipped`.
//
//   node scripts/test.ts [--only stage[,stage]] [path-filter…]
//   stages: typecheck lint proto unit-node unit-bun integration
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'node_modules/.bin');
/** A unit test file that takes longer than this is hung. */
const UNIT_FILE_TIMEOUT_MS = 120_000;
/** Integration files start real servers; a cold cache build happens before the first one (see below). */
const INTEGRATION_FILE_TIMEOUT_MS = 20 * 60_000;
const STAGES = ['typecheck', 'lint', 'proto', 'unit-node', 'unit-bun', 'integration'] as const;
type Stage = (typeof STAGES)[number];

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}
const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function parseArgs(argv: string[]): { stages: Set<Stage>; filters: string[] } {
  const stages = new Set<Stage>(STAGES);
  const filters: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--only') {
      stages.clear();
      for (const name of (argv[++i] ?? '').split(',')) {
        if (!(STAGES as readonly string[]).includes(name)) {
          console.error(`unknown stage "${name}"; stages are: ${STAGES.join(', ')}`);
          process.exit(2);
        }
        stages.add(name as Stage);
      }
    } else {
      filters.push(arg);
    }
  }
  return { stages, filters };
}

interface RunResult {
  code: number | null;
  output: string;
  timedOut: boolean;
}

function run(
  command: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = {},
  stream = false,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, PATH: `${BIN}:${process.env.PATH ?? ''}`, FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    const collect = (c: Buffer) => {
      chunks.push(c);
      if (stream) process.stdout.write(c);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // gone
      }
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), timedOut });
    });
  });
}

/** Reads uvu's closing summary ("Total: 5 / Passed: 4 / Skipped: 0"). */
export function parseUvuSummary(output: string): Totals | undefined {
  const total = /Total:\s+(\d+)/.exec(output);
  const passed = /Passed:\s+(\d+)/.exec(output);
  const skipped = /Skipped:\s+(\d+)/.exec(output);
  if (!total || !passed) return undefined;
  const t = Number(total[1]);
  const p = Number(passed[1]);
  const s = Number(skipped?.[1] ?? 0);
  return { passed: p, skipped: s, failed: Math.max(0, t - p - s) };
}

function record(label: string, result: Totals, output: string): void {
  totals.passed += result.passed;
  totals.failed += result.failed;
  totals.skipped += result.skipped;
  const status = result.failed > 0 ? 'FAIL' : 'ok  ';
  console.log(
    `${status} ${label}  (${result.passed} passed${result.failed ? `, ${result.failed} failed` : ''}${result.skipped ? `, ${result.skipped} skipped` : ''})`,
  );
  if (result.failed > 0) {
    failures.push(label);
    console.log(indent(output.trim()));
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

async function check(label: string, command: string, args: string[]): Promise<void> {
  const result = await run(command, args, UNIT_FILE_TIMEOUT_MS * 3);
  record(
    label,
    { passed: result.code === 0 ? 1 : 0, failed: result.code === 0 ? 0 : 1, skipped: 0 },
    result.output,
  );
}

function findFiles(suffix: string, dirName: 'src' | 'test', filters: string[]): string[] {
  const files: string[] = [];
  for (const group of ['libs', 'apps']) {
    const groupDir = join(ROOT, group);
    if (!existsSync(groupDir)) continue;
    for (const pkg of readdirSync(groupDir)) {
      const dir = join(groupDir, pkg, dirName);
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && entry.name.endsWith(suffix))
          files.push(relative(ROOT, join(entry.parentPath, entry.name)));
      }
    }
  }
  return files.filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter))).sort();
}

async function runFiles(
  label: string,
  runtime: string,
  files: string[],
  timeoutMs: number,
  concurrency: number,
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  const queue = [...files];
  const workers = Array.from({ length: concurrency }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const started = Date.now();
      const result = await run(runtime, [file], timeoutMs, env);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const summary = parseUvuSummary(result.output);
      const name = `${label} ${file} ${seconds}s`;
      if (result.timedOut) {
        record(
          name,
          { passed: summary?.passed ?? 0, failed: 1, skipped: 0 },
          `timed out after ${timeoutMs} ms\n${result.output}`,
        );
      } else if (!summary) {
        record(
          name,
          { passed: 0, failed: 1, skipped: 0 },
          `exited ${result.code} without a uvu summary\n${result.output}`,
        );
      } else if (result.code !== 0 && summary.failed === 0) {
        record(name, { ...summary, failed: 1 }, `exited ${result.code} after its tests\n${result.output}`);
      } else {
        record(name, summary, result.output);
      }
      await reapLeftovers(env.K8SLISTENER_PID_LEDGER);
    }
  });
  await Promise.all(workers);
}

/**
 * Safety net for a test that crashed before its teardown: every process the
 * test kit starts is written to the pid ledger; whatever is still alive after
 * its file ends is stopped here, by pid.
 */
async function reapLeftovers(ledger: string | undefined): Promise<void> {
  if (!ledger || !existsSync(ledger)) return;
  const pids = readFileSync(ledger, 'utf8').split('\n').filter(Boolean).map(Number);
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  if (alive.length === 0) return;
  console.log(`  stopping ${alive.length} process(es) a test left behind: ${alive.join(' ')}`);
  for (const pid of alive) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  rmSync(ledger, { force: true });
}

async function main(): Promise<void> {
  const { stages, filters } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (stages.has('typecheck'))
    await check('typecheck (tsc, strict)', join(BIN, 'tsc'), ['-p', 'tsconfig.json']);
  if (stages.has('lint')) await check('lint (biome)', join(BIN, 'biome'), ['check', '.']);
  if (stages.has('proto'))
    await check('generated proto types match proto/', join(BIN, 'node'), ['scripts/proto-gen.ts', '--check']);
  const unitFiles = findFiles('.test.ts', 'src', filters);
  if (stages.has('unit-node')) await runFiles('node', join(BIN, 'node'), unitFiles, UNIT_FILE_TIMEOUT_MS, 2);
  if (stages.has('unit-bun')) await runFiles('bun ', join(BIN, 'bun'), unitFiles, UNIT_FILE_TIMEOUT_MS, 2);
  if (stages.has('integration')) {
    const itFiles = findFiles('.itest.ts', 'test', filters);
    const ledgerDir = mkdtempSync(join(tmpdir(), 'k8slistener-pids-'));
    try {
      // Build every real part once, up front, so a cold cache shows one progress
      // report and no integration file times out while compiling.
      // Streamed, so a cold build shows its progress as it goes.
      const prepare = await run(
        join(BIN, 'node'),
        ['libs/testkit/src/cli.ts', 'build'],
        60 * 60_000,
        {},
        true,
      );
      record(
        'build the real local stack (cached)',
        { passed: prepare.code === 0 ? 1 : 0, failed: prepare.code === 0 ? 0 : 1, skipped: 0 },
        prepare.output,
      );
      if (prepare.code === 0) {
        await runFiles('integration', join(BIN, 'node'), itFiles, INTEGRATION_FILE_TIMEOUT_MS, 1, {
          K8SLISTENER_PID_LEDGER: join(ledgerDir, 'pids'),
        });
      }
    } finally {
      rmSync(ledgerDir, { recursive: true, force: true });
    }
  }
  console.log(`\nfinished in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  if (failures.length > 0) console.log(`failed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  console.log(
    `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
  );
  process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
