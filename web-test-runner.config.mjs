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
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './sandbox/testing/chromium.ts';
import { firefoxLauncher } from './testing/wtr-firefox.ts';
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
    // Passing puppeteer-core itself only makes the launcher call itself "Chromium", not "Chrome".
    chromium: () => chromeLauncher({ launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] }, puppeteer: puppeteerCore }),
    firefox: () => firefoxLauncher(),
  };
  const unknown = [...wanted].filter((name) => !(name in launchers));
  if (unknown.length) throw new TypeError(`WTR_BROWSERS: unknown ${unknown.join(', ')}; use chromium and/or firefox`);
  return Object.entries(launchers)
    .filter(([name]) => wanted.has(name))
    .map(([, launch]) => launch());
}
