import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 } },
      // After `npm run build`: the packaged app and the security gate (npm test runs it after the build).
      { test: { name: 'packaging', include: ['tests/packaging/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 300_000 } },
    ],
  },
});
