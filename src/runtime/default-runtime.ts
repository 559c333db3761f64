import type { ExportRuntime, Runtime } from '../core/runtime.js';

/**
 * The real clock, sleep and randomness of whatever runtime this is (browser, worker,
 * Deno, Bun, Node): all the SDK exporters need, since the SDK's processors own the timers.
 */
export function createDefaultClock(): ExportRuntime {
  return {
    now: Date.now,
    // Not unref'd: someone awaits this (a retry backoff), and exiting mid-retry would lose data.
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
}

/**
 * {@link createDefaultClock} plus the batch timer of `createOtlpClient`'s queue. Timers
 * are unref'd where the runtime supports it, so a pending batch timer never keeps a Node
 * process alive on its own.
 */
export function createDefaultRuntime(): Runtime {
  return {
    ...createDefaultClock(),
    setTimer(fn, ms) {
      const handle = setTimeout(fn, ms);
      (handle as unknown as { unref?: () => void }).unref?.();
      return { cancel: () => clearTimeout(handle) };
    },
  };
}
