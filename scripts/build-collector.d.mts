/** Types of build-collector.mjs, for the tests that import it. */
export declare const COLLECTOR_BIN: string;
export declare const COLLECTOR_VERSION: string;
export declare const HOW_TO_GET: string;
export declare function collectorStale(): string | undefined;
export declare function ensureCollector(options?: {
  build?: boolean;
  log?: (line: string) => void;
}): string;
