/** Types of bundle-pages.mjs for the TypeScript tests that use it. */
export declare function bundleApps(
  sources: Record<string, string>,
  options: {
    resolveDir: string;
    minify?: boolean;
    /** Per page name: replace `from` by `to` in the bundled file matching `file`. */
    patches?: Record<string, { file: RegExp; from: string; to: string }>;
  },
): Promise<Record<string, string>>;
export declare function bundlePages(options?: {
  minify?: boolean;
}): Promise<Record<string, string>>;
export declare const PAGE_SOURCES: Record<string, string>;
export declare const PATCHED_PAGES: Record<
  string,
  [source: string, patch: { file: RegExp; from: string; to: string }]
>;
