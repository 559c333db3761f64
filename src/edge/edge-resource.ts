import type { Attributes } from '@opentelemetry/api';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';

/** Who produces the telemetry, on every span, log record and metric. */
export interface EdgeResourceOptions {
  /** The `service.name` resource attribute: how backends group this worker's telemetry. */
  serviceName: string;
  /** More resource attributes (`service.version`, `deployment.environment.name`...). @default {} */
  resourceAttributes?: Attributes;
}

/** The resource of an edge service: `service.name` plus the given attributes. */
export function edgeResource(options: EdgeResourceOptions): Resource {
  if (typeof options.serviceName !== 'string' || options.serviceName === '') {
    throw new TypeError('option "serviceName" must be a non-empty string (the service.name)');
  }
  return resourceFromAttributes({
    ...options.resourceAttributes,
    'service.name': options.serviceName,
  });
}
