/**
 * Web Test Runner: browser suites in Debian's Chromium (never a downloaded browser), with a
 * fake camera and microphone, against the local sandbox started in this process.
 *
 * Run through `node --import tsx` (see package.json) so the sandbox plugin's TypeScript loads.
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './sandbox/testing/chromium.ts';
import { sandboxPlugin } from './testing/wtr-plugin.ts';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';

export default {
  files: ['sandbox/**/*.browser.test.ts', 'widget/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  rootDir: '.',
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 10 * 60_000,
  browserStartTimeout: 60_000,
  testFramework: { config: { timeout: 45_000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), sandboxPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [...CHROMIUM_ARGS],
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter('.reports/wtr.json')],
};
