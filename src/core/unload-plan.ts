import type { Compression } from './compression.js';

/**
 * What a request does about keepalive, given the keepalive bytes already in flight:
 * browsers give all keepalive bodies of a page 64 KiB in flight together, and refuse
 * past that. For a keepalive export (the page is hidden or going):
 * - `send`: it fits (a lone request may use the whole budget);
 * - `hold`: it does not, but the page stays (hidden, or kept in the back/forward cache):
 *   it waits for the next flush, counted as deferred;
 * - `drop`: it does not, and the page is being unloaded: nothing can send it later, so
 *   it is dropped and counted (`unload`) now, while the page still runs.
 * For an ordinary export that prefers keepalive (`keepaliveWhenFits`): `send` with
 * keepalive when it fits, else `plain` (without keepalive, outside the budget). Any other
 * ordinary export (no mode): `plain`.
 */
export function keepaliveDecision(
  inflightBytes: number,
  bytes: number,
  budgetBytes: number,
  mode: 'unload' | 'hidden' | 'prefer' | false | undefined,
): 'send' | 'hold' | 'drop' | 'plain' {
  if (!mode) return 'plain';
  if (inflightBytes + bytes <= budgetBytes) return 'send';
  if (mode === 'prefer') return 'plain';
  if (!inflightBytes) return 'send';
  return mode === 'unload' ? 'drop' : 'hold';
}

/**
 * The compression a keepalive request may use: the one given for page unload
 * (`keepaliveCompression`, whose work finishes within the current task, so the request
 * leaves before the page does), and only while it is the encoding in use: a server that
 * refused it has made later requests fall back.
 */
export function keepaliveCompression(
  inUse: Compression | undefined,
  atUnload: Compression | undefined,
): Compression | undefined {
  return atUnload && inUse?.name === atUnload.name ? atUnload : undefined;
}
