// A real OpenTelemetry Collector (collector/, built by scripts/build-collector.mjs, run by
// scripts/run-collector.mjs) for the tests. Missing binary: built first outside CI when Go
// is there; in CI (CI=true) the test fails, never skips, saying how to get it.
import { ensureCollector } from '../../scripts/build-collector.mjs';
import {
  type CollectorOptions,
  type RunningCollector,
  startCollector as run,
} from '../../scripts/run-collector.mjs';
import type { Compression } from '../../src/core/compression.js';

export type { CollectorOptions, RunningCollector };

/** Starts the Collector (see CollectorOptions), building it first when allowed. */
export function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  return run(ensureCollector({ build: !process.env.CI }), options);
}

/** `decoders`, recording in `decoded` the encoding of every answer they decode. */
export function watchDecoders(decoders: readonly Compression[], decoded: string[]): Compression[] {
  return decoders.map((d) => ({
    ...d,
    decompress: (data, maxBytes) => {
      decoded.push(d.name);
      return d.decompress!(data, maxBytes);
    },
  }));
}
