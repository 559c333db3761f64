/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_OTLP_URL?: string;
  readonly VITE_QUERY_URL?: string;
  readonly VITE_OTLP_VIA?: string;
}
