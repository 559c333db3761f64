import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCollector } from '../scripts/build-collector.mjs';

// Some integration tests run the built CLIs (dist/) as real child processes, so they can be
// SIGKILLed like a crashed server. Rebuild when any source is newer than the build.
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const marker = 'dist/src/receiver/cli.js';
  const stale =
    !existsSync(marker) || Math.max(newest('src'), newest('gen')) > statSync(marker).mtimeMs;
  if (stale) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  // The Collector tests' OpenTelemetry Collector, built once here (not by each test file at
  // once) when stale, unless in CI, where .ci/run builds it. Where it cannot be built the
  // tests that need it fail, saying how to get it.
  if (!process.env.CI) {
    try {
      ensureCollector();
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}
