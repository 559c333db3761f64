import type { Runtime } from '../core/runtime.js';

/**
 * The real clock, timers and randomness of whatever runtime this is (browser, worker,
 * Deno, Bun, Node). Background timers are unref'd where the runtime supports it, so a pending batch
 * timer never keeps a Node process alive on its own.
 */
export function createDefaultRuntime(): Runtime {
  return {
    now: Date.now,
    // Not unref'd: someone awaits this (a retry backoff), and exiting mid-retry would lose data.
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    setTimer(fn, ms) {
      const handle = setTimeout(fn, ms);
      (handle as unknown as { unref?: () => void }).unref?.();
      return { cancel: () => clearTimeout(handle) };
    },
    random: Math.random,
  };
}
