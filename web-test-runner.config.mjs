/**
 * Web Test Runner: browser suites in Debian's Chromium and Debian's Firefox ESR (never a
 * downloaded browser), each with a fake camera and microphone, against the local sandbox
 * started in this process. Every file runs in both browsers, one browser after the other
 * (the machine has two cores). `WTR_BROWSERS=chromium` (or `firefox`) runs one only.
 *
 * Run through `node --import tsx` (see package.json) so the sandbox plugin's TypeScript loads.
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { START_BUDGET_MS } from './sandbox/testing/browser-start.ts';
import { chromiumLauncher, firefoxLauncher } from './testing/wtr-launchers.ts';
import { sandboxPlugin } from './testing/wtr-plugin.ts';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';

export default {
  files: ['sandbox/**/*.browser.test.ts', 'widget/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  rootDir: '.',
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 10 * 60_000,
  // Every start attempt (testing/wtr-launchers.ts retries a start that fails), then the page.
  browserStartTimeout: START_BUDGET_MS + 30_000,
  testFramework: { config: { timeout: 45_000 } },
  plugins: [asBuilt(esbuildPlugin({ ts: true, target: 'es2022' })), sandboxPlugin()],
  browsers: browsers(),
  reporters: [defaultReporter(), summaryReporter('.reports/wtr.json')],
};

/**
 * The plugin, except for the build's files (/dist/…), served as built: esbuild would compile
 * them again (a `target` makes it take .js too), and the widget's integrity checks rightly
 * refuse later files whose bytes are not the build's.
 */
function asBuilt(plugin) {
  const transform = plugin.transform.bind(plugin);
  plugin.transform = (context) => (context.path.startsWith('/dist/') ? undefined : transform(context));
  return plugin;
}

function browsers() {
  const wanted = new Set((process.env.WTR_BROWSERS ?? 'chromium,firefox').split(',').map((name) => name.trim().toLowerCase()));
  const launchers = {
    chromium: () => chromiumLauncher(),
    firefox: () => firefoxLauncher(),
  };
  const unknown = [...wanted].filter((name) => !(name in launchers));
  if (unknown.length) throw new TypeError(`WTR_BROWSERS: unknown ${unknown.join(', ')}; use chromium and/or firefox`);
  return Object.entries(launchers)
    .filter(([name]) => wanted.has(name))
    .map(([, launch]) => launch());
}
