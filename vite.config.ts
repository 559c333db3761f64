import { defineConfig } from 'vitest/config';

// One config for Vite (the demo page) and Vitest (the tests).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers; forks keep each file's sockets and timers apart.
    pool: 'forks',
  },
});
