#!/usr/bin/env node
// `npm test`: build (package and demo page), type-check (including the no-runtime-API check
// of the runtime-neutral folders), lint, publint and attw on the packed package, every Vitest suite, the browser size budgets, then
// the Playwright suite against real Envoy and Debian's Chromium. Ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const run = (cmd, args) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  return result.status ?? 1;
};

const steps = [
  ['node', ['scripts/clean-dist.mjs']],
  ['npx', ['tsc', '-p', 'tsconfig.build.json']],
  // The API reference (dist/api) from the JSDoc of every public entry: fails on a broken build.
  ['npx', ['typedoc']],
  ['npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['npx', ['tsc', '-p', 'tsconfig.core.json', '--noEmit']],
  // The edge examples, against the package as built (their imports go through "exports").
  ['npx', ['tsc', '-p', 'examples']],
  ['npx', ['biome', 'check', '.']],
  // The package as published: its package.json and exports (publint), and its types as each
  // module resolution finds them (ES modules only: CommonJS require()s the ESM build).
  ['npx', ['publint', '--strict']],
  ['npx', ['attw', '--pack', '.', '--profile', 'esm-only']],
];
for (const [cmd, args] of steps) {
  if (run(cmd, args) !== 0) {
    console.log(`\n${cmd} ${args.join(' ')} failed`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

mkdirSync('.tmp', { recursive: true });
const report = '.tmp/vitest-report.json';
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);
let passed = 0;
let failed = status === 0 ? 0 : 1;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests + (json.numFailedTestSuites ?? 0);
  skipped = json.numPendingTests + json.numTodoTests;
  if (status !== 0 && failed === 0) failed = 1;
} catch {
  // No report: vitest itself failed; the status says so.
}
// Browser bundle sizes against their budgets (DESIGN.md): one check, failed when any
// budget is exceeded (scripts/size.mjs exits 1 then).
if (run('node', ['scripts/size.mjs']) === 0) passed += 1;
else failed += 1;
// Playwright: the built demo in Chromium, through a real Envoy, to the real receiver.
const e2eReport = '.tmp/playwright-report.json';
const e2eStatus = run('npx', ['playwright', 'test']);
try {
  const stats = JSON.parse(readFileSync(e2eReport, 'utf8')).stats;
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
  if (e2eStatus !== 0 && stats.unexpected === 0) failed += 1;
} catch {
  failed += 1;
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status === 0 && e2eStatus === 0 && failed === 0 ? 0 : 1);
