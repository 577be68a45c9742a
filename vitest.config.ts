import { defineConfig } from 'vitest/config'

// Unit tests sit beside the code as *.test.ts; integration tests start real servers on random
// ports. Two cores here: at most two test files run at once.
export default defineConfig({
  test: {
    include: ['{shared,server,electron,renderer,bench,scripts,test}/**/*.test.{ts,tsx}'],
    setupFiles: ['./vitest.setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
