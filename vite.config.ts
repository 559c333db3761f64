import { defineConfig } from 'vitest/config';

// One config for Vite (the demo page in demo/, built into dist/demo) and Vitest (the tests).
export default defineConfig({
  root: 'demo',
  build: { outDir: '../dist/demo', emptyOutDir: true, target: 'es2022' },
  server: { host: '127.0.0.1', port: 5173 },
  test: {
    root: '.',
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/edge/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers; forks keep each file's sockets and timers apart.
    pool: 'forks',
  },
});
