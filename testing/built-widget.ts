/**
 * The widget's files in dist/, for the end-to-end files (Vitest), which serve them through the
 * test stack. `npm test` builds them once, before every runner, and says so
 * (`EQUOS_WIDGET_BUILT=1`): end-to-end files then must not build again, since Vitest runs them
 * in parallel and a build empties dist/ before it writes it (another file's page would load a
 * file that is gone for a moment). A file run on its own builds first.
 */
import { execFileSync } from 'node:child_process';

const ROOT = new URL('../', import.meta.url).pathname;

/** Builds dist/ unless `npm test` already has. */
export function ensureWidgetBuilt(): void {
  if (process.env.EQUOS_WIDGET_BUILT === '1') return;
  execFileSync(process.execPath, [`${ROOT}scripts/build.mjs`], { stdio: 'ignore' });
}
