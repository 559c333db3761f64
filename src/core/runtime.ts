/**
 * Everything the pipeline needs from its surroundings that the language itself does not
 * give: time, timers and randomness. Injected, so retry and batching are tested with a
 * fake clock, and so src/core stays free of runtime APIs. The default implementation
 * lives at the edge, in src/runtime/default-runtime.ts.
 */
export interface Runtime {
  /** Milliseconds since some fixed origin (Date.now or performance.now). */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
  /**
   * Runs `fn` once after `ms` milliseconds unless cancelled. The timer must not keep a
   * Node process alive on its own.
   */
  setTimer(fn: () => void, ms: number): Timer;
  /** A number in [0, 1), like Math.random. */
  random(): number;
}

/** A pending timer from {@link Runtime.setTimer}. */
export interface Timer {
  cancel(): void;
}

/** The part of a {@link Runtime} the export core needs: no timers of its own. */
export type ExportRuntime = Pick<Runtime, 'now' | 'sleep' | 'random'>;
