#!/usr/bin/env node
// The OpenTelemetry Collector the tests and benchmarks run against: builds the distribution
// in collector/ (Collector Builder output from collector/builder-config.yaml, committed) into
// .cache/otelcol/otelcol with Go from the Go module proxy, and skips the build when that
// binary was built from the current sources (a hash of collector/ beside it). About 3-5
// minutes on 2 cores the first time; Go's module and build caches make later builds fast.
//   node scripts/build-collector.mjs          build unless current, print the binary's path
//   node scripts/build-collector.mjs --check  exit 1, saying how to get it, unless current
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'collector');
/** Where the binary goes (ignored by git). */
export const COLLECTOR_BIN = join(root, '.cache', 'otelcol', 'otelcol');
const stampFile = `${COLLECTOR_BIN}.sources-sha256`;
/** The Collector release collector/ pins, for messages and the README. */
export const COLLECTOR_VERSION = '0.165.0';

/** A hash of everything the build reads from the repo: go.mod, go.sum, the .go files. */
function sourcesHash() {
  const hash = createHash('sha256');
  for (const name of readdirSync(sources).sort()) {
    if (/^go\.(mod|sum)$|\.go$/.test(name))
      hash.update(name).update(readFileSync(join(sources, name)));
  }
  return hash.digest('hex');
}

/** Why the binary is not usable as it is, or undefined when it is current. */
export function collectorStale() {
  if (!existsSync(COLLECTOR_BIN)) return `${COLLECTOR_BIN} does not exist`;
  const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (stamp !== sourcesHash())
    return `${COLLECTOR_BIN} was built from other sources than collector/`;
  return undefined;
}

function findGo() {
  const candidates = [
    process.env.GO,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, 'go')),
    '/usr/local/go/bin/go',
  ];
  return candidates.find((file) => file && existsSync(file));
}

/** How to get the binary, for the errors of tests that need it. */
export const HOW_TO_GET =
  `build it with "node scripts/build-collector.mjs" (needs Go >= 1.25 and the Go module proxy; ` +
  `.ci/run does it); it goes to .cache/otelcol/otelcol`;

/**
 * The path of a current Collector binary, built first when `build` is true and Go is there.
 * Throws an Error saying what is missing and how to get it otherwise.
 */
export function ensureCollector({
  build = true,
  log = (line) => process.stderr.write(`${line}\n`),
} = {}) {
  const stale = collectorStale();
  if (!stale) return COLLECTOR_BIN;
  if (!build)
    throw new Error(
      `OpenTelemetry Collector ${COLLECTOR_VERSION} missing: ${stale}; ${HOW_TO_GET}`,
    );
  const go = findGo();
  if (!go) {
    throw new Error(
      `OpenTelemetry Collector ${COLLECTOR_VERSION} missing (${stale}) and Go is not installed: ${HOW_TO_GET}`,
    );
  }
  mkdirSync(dirname(COLLECTOR_BIN), { recursive: true });
  const started = Date.now();
  log(
    `building the OpenTelemetry Collector ${COLLECTOR_VERSION} from collector/ with ${go} (a few minutes the first time)`,
  );
  const partial = `${COLLECTOR_BIN}.partial`;
  execFileSync(go, ['build', '-trimpath', '-ldflags=-s -w', '-o', partial, '.'], {
    cwd: sources,
    // local: the Go on this machine, never a downloaded toolchain; readonly: go.sum as committed.
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly', CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  renameSync(partial, COLLECTOR_BIN);
  writeFileSync(stampFile, `${sourcesHash()}\n`);
  log(`built ${COLLECTOR_BIN} in ${Math.round((Date.now() - started) / 1000)} s`);
  return COLLECTOR_BIN;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureCollector({ build: !process.argv.includes('--check') }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
