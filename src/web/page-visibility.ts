/**
 * Whether the page (if any) is hidden: the moment browsers may unload it and OTel's batch
 * processors flush. Exports made then must use `keepalive` to survive the unload. False in
 * workers, Deno, Bun and Node, which have no document.
 */
export function pageHidden(): boolean {
  const doc = (globalThis as { document?: { visibilityState?: string } }).document;
  return doc?.visibilityState === 'hidden';
}
