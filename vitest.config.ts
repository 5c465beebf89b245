import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs every test on the embedded engine (PGlite). With DATABASE_URL set, the same
 * suite runs a second time against that PostgreSQL server (each test file makes its own database).
 */
const engines = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** The key that seals webhook and connector secrets in tests (32 bytes, base64; a test value only). */
const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export default defineConfig({
  test: {
    // Most files wait on child processes, restarts and sockets more than they compute: three
    // workers keep both cores busy while one of them waits (on a 2-core machine the default is one).
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    projects: engines.map((engine) => ({
      extends: true,
      test: {
        name: engine,
        env: { CONSIGN_TEST_ENGINE: engine, CONSIGN_SECRET_KEY: TEST_SECRET_KEY, CONSIGN_TEST_GATEWAY: '1' },
      },
    })),
  },
});
