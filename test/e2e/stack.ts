import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
// The built package: these tests exercise what users install.
import { startEnvoy } from '../../dist/src/envoy/index.js';
import { startReceiver } from '../../dist/src/receiver/index.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
type Envoy = Awaited<ReturnType<typeof startEnvoy>>;

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Serves the built demo (dist/demo) on 127.0.0.1, a port of its own: one browser origin. */
export async function serveDemo(): Promise<{ origin: string; close(): Promise<void> }> {
  const root = join(process.cwd(), 'dist/demo');
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Builds the demo page with Vite, as `npm run build` does. */
export async function buildDemo(): Promise<void> {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}

/** Chromium must be there; in CI its absence is a failure, never a skip. */
export function requireChromium(): void {
  const bin = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
  if (!existsSync(bin)) {
    throw new Error(
      `Chromium not found at ${bin}: install it with 'apt-get install -y chromium' (or set CHROMIUM_BIN)`,
    );
  }
}

/** The receiver and Envoy in front of it, both allowing `origin`. */
export async function startStack(
  origin: string,
  port = 0,
): Promise<{ receiver: Receiver; envoy: Envoy }> {
  const receiver = await startReceiver({ port, corsOrigins: [origin], maxStoredItems: 10_000 });
  const envoy = await startEnvoy({
    port: 0,
    upstreams: [`127.0.0.1:${receiver.port}`],
    corsOrigins: [origin],
    install: !process.env.CI,
  });
  return { receiver, envoy };
}

export type { Envoy, Receiver };
