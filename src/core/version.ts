/** This package's version, sent in the User-Agent so backends can tell exporter releases apart. */
export const VERSION = '0.1.0';

/**
 * The default User-Agent, in the style of OpenTelemetry's own exporters
 * ("OTel-OTLP-Exporter-JavaScript/<version>") so backends that group by exporter family
 * see us as one, with a suffix naming this package.
 */
export const USER_AGENT = `OTel-OTLP-Exporter-JavaScript/${VERSION} otlp-grpc-web`;
