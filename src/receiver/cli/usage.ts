/** The `otlp-receiver --help` text. */
export const USAGE = `Usage: otlp-receiver [options]

A native OTLP receiver: TraceService, MetricsService and LogsService Export over gRPC,
gRPC-web and Connect (HTTP/2 and HTTP/1.1) on one port, plus a query service.
Prints "otlp-receiver listening on <url>" on stdout once ready; logs go to stderr.

Options:
  --host <address>             address to bind (default 127.0.0.1)
  --port <n>                   port to bind, 0 for any free port (default 4317)
  --tls-cert <file>            serve TLS with this PEM certificate chain (needs --tls-key)
  --tls-key <file>             PEM private key for --tls-cert
  --client-ca <file>           require client certificates signed by this PEM CA (mutual TLS)
  --cors-origin <origin>       allow browser calls from this origin; repeatable; * for any
  --api-key <key>              require the header x-api-key: <key>
  --bearer-token <token>       require the header authorization: Bearer <token>
  --max-message-bytes <n>      largest request, compressed or not (default 4194304)
  --max-inflight <n>           Export calls served at once, 0 for no limit (default 0)
  --retry-delay-ms <n>         retry delay told to callers refused for overload (default 1000)
  --export-delay-ms <n>        hold every Export call this long, for testing (default 0)
  --jsonl <file>               append everything received to this JSON Lines file
  --max-stored-items <n>       items kept in memory per signal for the query service
                               (default 10000)
  --max-stored-bytes <n>       estimated bytes kept in memory per signal (default 67108864)
  --max-buffered-bytes <n>     memory the calls in progress may hold together (bodies,
                               decoded requests); past it calls get UNAVAILABLE
                               (default 100663296)
  --max-decoded-bytes <n>      estimated memory one decoded request may take; larger ones
                               get RESOURCE_EXHAUSTED (default 67108864)
  --max-connections <n>        connections open at once (default 512)
  --headers-timeout-ms <n>     a new connection must send its request headers within
                               this (default 10000)
  --body-timeout-ms <n>        refuse a request body idle this long (default 10000)
  --idle-timeout-ms <n>        close a connection silent this long (default 120000)
  --response-compression <on|off>
                               answer Export calls compressed in the request's encoding,
                               as grpc-go does (default on)
  --summary-interval-ms <n>    print a summary line this often when counts changed,
                               0 disables (default 10000)
  --shutdown-grace-ms <n>      on SIGINT/SIGTERM, wait this long for calls in flight
                               (default 10000)
  --log-level <level>          error, warn, info or debug (default info)
  -h, --help                   show this help
`;
