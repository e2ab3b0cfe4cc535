import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 } },
      // The model-based tester's bounded slice (tests/model): long tests, one per kind of server.
      { test: { name: 'model', include: ['tests/model/**/*.test.ts'], environment: 'node', testTimeout: 1_200_000, hookTimeout: 120_000 } },
      // After `npm run build`: the packaged app and the security gate (npm test runs it after the build).
      { test: { name: 'packaging', include: ['tests/packaging/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 300_000 } },
    ],
  },
});
