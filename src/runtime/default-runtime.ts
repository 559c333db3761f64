import type { ExportRuntime, Runtime } from '../core/runtime.js';

/**
 * The timer functions every target runtime has (browsers, Workers, Deno, Bun, Node),
 * declared here as this file uses them, so it compiles without DOM or Node types
 * (tsconfig.core.json) and no other runtime API slips in. Node's handle has `unref`; the
 * others return a number.
 */
declare function setTimeout(fn: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

/**
 * The real clock, sleep and randomness of whatever runtime this is (browser, worker,
 * Deno, Bun, Node): all the SDK exporters need, since the SDK's processors own the timers.
 */
export function createDefaultClock(): ExportRuntime {
  return {
    now: Date.now,
    // Not unref'd: someone awaits this (a retry backoff), and exiting mid-retry would lose data.
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve as () => void, ms)),
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
      (handle as { unref?: () => void }).unref?.();
      return { cancel: () => clearTimeout(handle) };
    },
  };
}
