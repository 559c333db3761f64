/**
 * Where configuration warnings go: a misspelled option or a malformed environment
 * variable is reported, not fatal, as the OpenTelemetry specification asks of exporters.
 */
export type Warn = (message: string) => void;

/**
 * `console.warn` where the runtime has a console, looked up at each call (tests and
 * loggers replace it). Reached through a typed lookup, since src/core sees no runtime types.
 */
export const consoleWarn: Warn = (message) =>
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(message);
