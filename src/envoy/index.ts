/**
 * The Envoy bridge (gRPC-web from browsers and edge runtimes to native gRPC OTLP
 * backends): config rendering, finding or installing Envoy, and running it. Node only.
 */
export { type EnvoyCliIo, envoyUsage, parseEnvoyArgs, runEnvoyCli } from './cli-main.js';
export {
  type EnvoyConfigOptions,
  type EnvoyListenerTls,
  type EnvoyUpstreamTls,
  envoyDefaults,
  normalizeEnvoyOptions,
  parseUpstream,
} from './envoy-options.js';
export { type EnvoyExit, type EnvoyProcess, spawnEnvoyProcess } from './envoy-process.js';
export { ENVOY_PIP_PACKAGE, type FindEnvoyOptions, findEnvoy } from './find-envoy.js';
export { renderEnvoyConfig } from './render-config.js';
export { corsAllowHeaders, corsExposeHeaders } from './render-http.js';
export { type RunningEnvoy, type StartEnvoyOptions, startEnvoy } from './start-envoy.js';
export { validateEnvoyConfig } from './validate-config.js';
