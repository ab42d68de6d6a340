/**
 * The Next.js example's configuration. Nothing downloads: no `next/font`, no remote images,
 * telemetry off in the test (NEXT_TELEMETRY_DISABLED=1).
 */
/** @type {import('next').NextConfig} */
const config = {
  // The repository is the workspace: `next`, `react` and `lit` are installed at its root, and
  // `import 'equos-avatar'` is the repository's own package (its package.json `exports`).
  turbopack: { root: new URL('../..', import.meta.url).pathname },
  poweredByHeader: false,
  // Type-checked with the other examples (examples/tsconfig.json, in `npm test`), against the
  // source, so that a build needs no declarations built first.
  typescript: { ignoreBuildErrors: true },
};

export default config;
