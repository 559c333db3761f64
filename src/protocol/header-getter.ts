/**
 * Anything with a case-insensitive `get`: web `Headers`, or an adapter over Node's header
 * object. The protocol reads headers through this one method so it needs neither the
 * `Headers` class (a runtime API) nor Node's header shapes.
 */
export interface HeaderGetter {
  get(name: string): string | null | undefined;
}
