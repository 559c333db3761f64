import type { Compression } from './compression.js';

/**
 * Whether a request goes with keepalive, given the keepalive bytes already in flight:
 * browsers give all keepalive bodies of a page 64 KiB in flight together, and refuse past
 * that. A request of a keepalive export (the page is hidden or going) does when it fits,
 * and a lone one may use the whole budget; one that does not fit cannot go now, and the
 * caller decides: held for the next flush while the page stays (hidden, or kept in the
 * back/forward cache), dropped and counted (`unload`) at once when the page is being
 * unloaded, since nothing can send it later. An ordinary export that prefers keepalive
 * (`keepaliveWhenFits`) goes with keepalive when it fits, else without (outside the
 * budget); any other ordinary export without.
 */
export function keepaliveFits(
  inflightBytes: number,
  bytes: number,
  budgetBytes: number,
  keepalive: boolean,
  prefer: boolean | undefined,
): boolean {
  return (
    (keepalive || !!prefer) &&
    (inflightBytes + bytes <= budgetBytes || (keepalive && !inflightBytes))
  );
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
