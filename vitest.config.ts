import { defineConfig } from 'vitest/config';

// Integration tests share one database per worker (test/helpers/db.ts): PGlite in memory, or PostgreSQL when
// TEST_DATABASE_URL is set. Two workers at most (a PGlite instance takes ~0.7 GB).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // A test machine runs browsers, child servers and two workers on two cores: its event loop lags for seconds
    // at times. Load shedding on loop lag (ADR 0046) is off for every app and child server the tests start;
    // test/integration/server-limits.test.ts turns it on where it is the subject.
    env: { PRESSURE_MAX_LOOP_DELAY_MS: '0' },
  },
});
