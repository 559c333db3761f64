/** Types of bundle-pages.mjs for the TypeScript tests that use it. */
export declare function bundleApps(
  sources: Record<string, string>,
  options: {
    resolveDir: string;
    minify?: boolean;
  },
): Promise<Record<string, string>>;
export declare function bundlePages(options?: {
  minify?: boolean;
}): Promise<Record<string, string>>;
export declare const PAGE_SOURCES: Record<string, string>;
