// A real OpenTelemetry Collector (collector/, built by scripts/build-collector.mjs, run by
// scripts/run-collector.mjs) for the tests. test/global-setup.ts builds it outside CI when
// Go is there; a test that finds it missing fails, never skips, saying how to get it.
import { ensureCollector } from '../../scripts/build-collector.mjs';
import {
  type CollectorOptions,
  type RunningCollector,
  startCollector as run,
} from '../../scripts/run-collector.mjs';
import type { Compression } from '../../src/core/compression.js';

export type { CollectorOptions, RunningCollector };

/** Starts the Collector (see CollectorOptions); throws, saying how to get it, when missing. */
export function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  return run(ensureCollector({ build: false }), options);
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
