/**
 * The npm package as a developer gets it: built as `prepack` builds it (into a scratch copy,
 * not the dist/ the other suites read), packed with `npm pack`, installed offline into a
 * consumer project, then type-checked, run under Node against the Equos double over real
 * HTTP, and bundled into a page the way Vite or webpack would, in Chromium.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../sandbox/equos-api/server.js';
import { launchBrowser } from '../sandbox/testing/browser-start.js';
import { WITH_BROWSER_START_MS } from '../testing/end-to-end.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const API_KEY = `sk_test_${'5e1d'.repeat(9)}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end. */
function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function ok(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const scratch = mkdtempSync(join(tmpdir(), 'equos-package-'));
const stage = join(scratch, 'stage');
const consumer = join(scratch, 'consumer');
let packed: { filename: string; files: Array<{ path: string }> };
let rootFiles: string[];
let equos: RunningEquosApiDouble;

beforeAll(async () => {
  // What `prepack` runs (npm run build:package), into the stage's dist/; the stage holds what `files` names.
  mkdirSync(stage, { recursive: true });
  const env = { BUILD_OUT_DIR: join(stage, 'dist') };
  const widget = await run(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, env });
  // A file over its size budget fails `npm test`'s build step (and `npm pack`) on its own; the
  // package is still complete, and is what this suite checks.
  if (widget.code !== 0 && !(widget.code === 1 && widget.stdout.includes('OVER BUDGET') && !widget.stderr.trim())) throw new Error(`scripts/build.mjs exited ${widget.code}:\n${widget.stdout}\n${widget.stderr}`);
  await ok(process.execPath, [join(root, 'scripts/build-package.mjs')], { cwd: root, env });
  for (const file of ['package.json', 'README.md', 'LICENSE', 'custom-elements.json', 'api']) cpSync(join(root, file), join(stage, file), { recursive: true });
  [packed] = JSON.parse(await ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: stage }));
  // What the repository itself would publish, whatever else lies in its folders (tests, the sandbox, ledgers, .env files).
  rootFiles = (JSON.parse(await ok('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: root }))[0].files as Array<{ path: string }>).map((file) => file.path);

  // The consumer: the package's dependencies already installed (linked to this repository's,
  // since nothing may be downloaded), then the tarball, offline.
  mkdirSync(consumer, { recursive: true });
  const { dependencies } = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const linked = Object.fromEntries(
    [...Object.keys(dependencies), '@types/node', '@types/react'].map((name) => [name, `file:${join(root, 'node_modules', name)}`]),
  );
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: linked }));
  await ok('npm', ['install', '--offline', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', join(scratch, packed.filename)], { cwd: consumer });
  equos = await startEquosApiDouble({ apiKey: API_KEY });
}, 120_000);

afterAll(async () => {
  await equos?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the built widget, both entries with their declarations, the manifest and the reports, and nothing else', () => {
    const files = packed.files.map((file) => file.path);
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'custom-elements.json',
      'api/equos-avatar.api.md',
      'api/token-server.api.md',
      'dist/equos-avatar.js',
      'dist/equos-avatar.js.br',
      'dist/manifest.json',
      'dist/npm/equos-avatar.mjs',
      'dist/npm/equos-avatar.node.mjs',
      'dist/npm/token-server/index.js',
      'dist/npm/types/widget/src/module.d.ts',
      'dist/npm/types/widget/src/events.d.ts',
      'dist/npm/types/token-server/src/library.d.ts',
    ]) {
      expect(files, required).toContain(required);
    }
    // Every later file the launcher names is in it (the token server serves them from there).
    const manifest = JSON.parse(readFileSync(join(stage, 'dist/manifest.json'), 'utf8')) as { files: string[] };
    for (const file of manifest.files) expect(files).toContain(`dist/${file}`);
    // The package's exports all exist.
    const { exports } = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
    for (const target of Object.values(exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)))) {
      if (!target.includes('*')) expect(files, target).toContain(target.replace(/^\.\//, ''));
    }
  });

  it('leaves out sources, tests, the sandbox, ledgers, secrets and source maps', () => {
    for (const files of [packed.files.map((file) => file.path), rootFiles]) {
      const shipped = (path: string) => ['package.json', 'README.md', 'custom-elements.json'].includes(path) || /^api\/[\w-]+\.api\.md$/.test(path) || /^LICEN[CS]E/.test(path) || path.startsWith('dist/');
      expect(files.filter((path) => !shipped(path))).toEqual([]);
      expect(files.filter((path) => /\.test\.|\.map$|(^|\/)\.env|\.sqlite|\.pem$|\.key$/.test(path))).toEqual([]);
      // Under types/, declarations only (no compiled sources of the sandbox or the tests).
      expect(files.filter((path) => path.startsWith('dist/npm/types/') && (!path.endsWith('.d.ts') || /\/(sandbox|testing|test|e2e)\//.test(path)))).toEqual([]);
    }
  });
});

describe('the installed package', () => {
  it('type-checks a consumer: the element by its tag, typed events, the token server; and catches a wrong event type', async () => {
    const tsconfig = {
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: ['node'], strict: true, noEmit: true, skipLibCheck: true },
    };
    writeFileSync(join(consumer, 'tsconfig.good.json'), JSON.stringify({ ...tsconfig, files: ['good.ts'] }));
    writeFileSync(join(consumer, 'tsconfig.bad.json'), JSON.stringify({ ...tsconfig, files: ['bad.ts'] }));
    writeFileSync(
      join(consumer, 'good.ts'),
      `import 'equos-avatar';
import { EquosAvatarElement, EquosStateChangeEvent, type EquosAvatarEventMap, type StateName } from 'equos-avatar';
import type { EquosAvatarReactProps } from 'equos-avatar/frameworks';
import { createMemoryStore, createTokenServer, readSettings, type TokenServer } from 'equos-avatar/token-server';

const avatar = document.createElement('equos-avatar');
const element: EquosAvatarElement = avatar;
element.server = 'https://avatar.example.com';
avatar.addEventListener('equos-state-change', (event) => {
  const to: StateName = event.detail.to;
  const isEvent: EquosStateChangeEvent = event;
  console.log(to, isEvent.detail.from);
});
avatar.addEventListener('equos-error', (event) => console.log(event.detail.code.toUpperCase()));
document.querySelector('equos-avatar')?.start();
const utterance: EquosAvatarEventMap['equos-utterance']['detail'] = { author: 'agent', content: 'Hello', finished: true };
const props: EquosAvatarReactProps = { server: 'https://avatar.example.com' };
const { settings } = readSettings({ EQUOS_API_KEY: 'sk_x', EQUOS_AVATAR_ID: 'a' });
const server: TokenServer = createTokenServer(settings, { store: createMemoryStore() });
console.log(utterance, props, server.fetch);
`,
    );
    writeFileSync(
      join(consumer, 'bad.ts'),
      `import 'equos-avatar';

document.createElement('equos-avatar').addEventListener('equos-state-change', (event) => {
  const seconds: number = event.detail.to;
  console.log(seconds);
});
`,
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const good = await run(process.execPath, [tsc, '-p', 'tsconfig.good.json'], { cwd: consumer });
    expect(good.stdout + good.stderr).toBe('');
    expect(good.code).toBe(0);
    const bad = await run(process.execPath, [tsc, '-p', 'tsconfig.bad.json'], { cwd: consumer });
    expect(bad.code).not.toBe(0);
    // Exactly the deliberate error: a state name is not a number.
    expect(bad.stdout.split('\n').filter((line) => /^\S/.test(line))).toEqual([expect.stringMatching(/^bad\.ts\(4,9\): error TS2322: Type '.*' is not assignable to type 'number'/)]);
  }, 60_000);

  it("runs the token server from 'equos-avatar/token-server' over real HTTP, serving the package's widget files", async () => {
    writeFileSync(
      join(consumer, 'serve.mjs'),
      `import { createMemoryStore, createTokenServer, listen, readSettings, silentLogger, widgetAssets } from 'equos-avatar/token-server';

const { settings } = readSettings({
  EQUOS_API_KEY: process.env.KEY, EQUOS_ENDPOINT: process.env.ENDPOINT, EQUOS_AVATAR_ID: 'avatar-1',
  ALLOWED_ORIGINS: '*', DEVELOPMENT_MODE: 'on', SESSION_SECRET: 'package-test-session-secret-0123456789abc', INSTANCE_ID: 'package-test',
});
const server = createTokenServer(settings, { store: createMemoryStore(), logger: silentLogger, assets: widgetAssets() });
await server.ready();
const listening = await listen(server.app, { host: '127.0.0.1', port: 0 });
process.stdout.write(listening.url + '\\n');
process.on('SIGTERM', () => listening.close(1000).then(() => process.exit(0)));
`,
    );
    const child = spawn(process.execPath, ['serve.mjs'], { cwd: consumer, env: { ...process.env, KEY: API_KEY, ENDPOINT: equos.url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(String(chunk).trim()));
        child.once('exit', (code) => reject(new Error(`serve.mjs exited ${code}: ${stderr}`)));
      });
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });

      // The widget's files come from the installed package's dist/ (widgetAssets()).
      const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/equos-avatar/dist/manifest.json'), 'utf8')) as { panel: string };
      for (const file of ['equos-avatar.js', manifest.panel]) {
        const answer = await fetch(`${url}/${file}`);
        expect(answer.status, file).toBe(200);
        expect(Buffer.from(await answer.arrayBuffer()).equals(readFileSync(join(stage, 'dist', file))), file).toBe(true);
      }

      // A session, created and stopped through the contract, at the Equos double.
      const origin = 'https://shop.example';
      const created = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' });
      expect(created.status).toBe(201);
      const { session_id, stop_token } = (await created.json()) as { session_id: string; stop_token: string };
      expect(equos.state.sessions.get(session_id)).toBeDefined();
      const stopped = await fetch(`${url}/api/sessions/${session_id}/stop`, { method: 'POST', headers: { origin, 'content-type': 'text/plain' }, body: stop_token });
      expect(stopped.status).toBe(200);
      expect(equos.state.sessions.get(session_id)!.endedBy).toBe('stop');

      // Bundled into a page's own script (no `currentScript`, no tag naming our file), the
      // element loads its panel from the token server in its `server` attribute.
      await bundledPageOpensThePanel(url);
    } finally {
      child.kill('SIGTERM');
    }
  }, WITH_BROWSER_START_MS);

  it("imports 'equos-avatar' under Node (server rendering) without a DOM: the same names, nothing defined", async () => {
    writeFileSync(
      join(consumer, 'ssr.mjs'),
      `import 'equos-avatar';
import * as widget from 'equos-avatar';
const event = new widget.EquosStateChangeEvent({ from: 'idle', to: 'starting' });
let constructed = 'no error';
try { new widget.EquosAvatarElement(); } catch (error) { constructed = error.constructor.name; }
process.stdout.write(JSON.stringify({ names: Object.keys(widget).sort(), type: event.type, to: event.detail.to, constructed, customElements: typeof customElements, api: typeof globalThis.EquosAvatar }));
`,
    );
    const answer = JSON.parse(await ok(process.execPath, ['ssr.mjs'], { cwd: consumer })) as Record<string, unknown>;
    // The browser module's names (which the declarations describe): its closing `export { … }`.
    const browserModule = readFileSync(join(consumer, 'node_modules/equos-avatar/dist/npm/equos-avatar.mjs'), 'utf8');
    const browserNames = [...browserModule.matchAll(/^export \{([^}]*)\}/gm)].at(-1)![1]!.split(',').map((name) => name.trim()).filter(Boolean).sort();
    expect(answer).toMatchObject({ type: 'equos-state-change', to: 'starting', constructed: 'TypeError', customElements: 'undefined', api: 'undefined' });
    expect(answer.names).toContain('EquosAvatarElement');
    expect(answer.names).toContain('EquosErrorEvent');
    expect(answer.names).toEqual(browserNames);
  });
});

/**
 * Bundles a page's script the way a bundler does (`import 'equos-avatar'` resolved by the
 * browser conditions), serves it from an origin of its own, and opens the widget in Chromium.
 */
async function bundledPageOpensThePanel(tokenServer: string): Promise<void> {
  writeFileSync(
    join(consumer, 'page.js'),
    `import { EquosAvatarElement } from 'equos-avatar';
const avatar = document.createElement('equos-avatar');
avatar.server = ${JSON.stringify(tokenServer)};
avatar.setAttribute('mode', 'inline');
document.body.append(avatar);
window.defined = customElements.get('equos-avatar') === EquosAvatarElement;
`,
  );
  const bundled = await build({ entryPoints: [join(consumer, 'page.js')], absWorkingDir: consumer, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  const script = bundled.outputFiles[0]!.text;
  const site: Server = createServer((request, response) => {
    if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><body><script type="module" src="/app.js"></script></body></html>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
    // (Page code as strings: this project's Node typings have no DOM.)
    await page.waitForFunction(`!!document.querySelector('equos-avatar')?.shadowRoot?.querySelector('[part~="panel"]')`, { timeout: 15_000 });
    expect(await page.evaluate('window.defined')).toBe(true);
    const manifest = JSON.parse(readFileSync(join(stage, 'dist/manifest.json'), 'utf8')) as { panel: string };
    expect(requested).toContain(`${tokenServer}/${manifest.panel}`);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    site.close();
  }
}
