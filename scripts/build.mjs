#!/usr/bin/env node
/**
 * Builds the widget into dist/:
 * - equos-avatar.js: the one script a page includes (launcher, panel, state machine), an
 *   IIFE so it works from any <script> tag;
 * - equos-avatar-live.<hash>.js: the real-time part (livekit-client), an ES module the first
 *   file imports at the first sign of intent; content-hashed so it can be cached forever;
 * - manifest.json: file names, version and sizes.
 * Fails when a file is over its budget in widget/size-budget.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
// BUILD_OUT_DIR builds elsewhere (a test builds into a scratch directory while others read dist/).
const dist = process.env.BUILD_OUT_DIR ?? join(root, 'dist');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const budget = JSON.parse(readFileSync(join(root, 'widget/size-budget.json'), 'utf8'));
const target = ['chrome91', 'firefox90', 'safari15', 'edge91'];
const common = { bundle: true, minify: true, write: false, target, legalComments: 'linked', logLevel: 'warning', metafile: true };

/**
 * Minifies the CSS inside Lit's css`…` templates (esbuild leaves template text alone). Only
 * templates without interpolations are touched, so nothing dynamic can break.
 */
const minifyLitCss = {
  name: 'minify-lit-css',
  setup(context) {
    context.onLoad({ filter: /\.styles\.ts$/ }, async ({ path }) => {
      let source = readFileSync(path, 'utf8');
      for (const match of source.matchAll(/css`([^`$]*)`/g)) {
        const { code } = await transform(match[1], { loader: 'css', minify: true, target });
        source = source.replace(match[0], `css\`${code.trim()}\``);
      }
      return { contents: source, loader: 'ts' };
    });
  },
};

/** In the widget's script, languages are separate files: never bundle their source modules. */
const keepLanguagesOut = {
  name: 'keep-languages-out',
  setup(context) {
    context.onResolve({ filter: /^\.\/[a-z]{2}\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && args.importer.endsWith('localize.ts') ? { path: args.path, external: true } : undefined,
    );
  },
};

mkdirSync(dist, { recursive: true });
for (const file of readdirSync(dist)) if (file.startsWith('equos-avatar')) rmSync(join(dist, file));

const live = await build({
  ...common,
  entryPoints: [join(root, 'widget/src/live/live.ts')],
  format: 'esm',
  outfile: join(dist, 'live.js'),
  plugins: [minifyLitCss],
  alias: {
    'webrtc-adapter': join(root, 'widget/src/internal/no-webrtc-adapter.ts'),
    // livekit-client ships its TypeScript sources; compiled for the browsers above they keep
    // native async/await instead of the down-levelled dist build (about 25 KB gzip less).
    // The version is pinned and the conformance suite guards upgrades.
    'livekit-client': join(root, 'node_modules/livekit-client/src/index.ts'),
  },
});
const liveCode = live.outputFiles.find((file) => file.path.endsWith('live.js')).contents;
const liveName = `equos-avatar-live.${createHash('sha256').update(liveCode).digest('hex').slice(0, 10)}.js`;

// Every language but English is a file of its own, loaded only by the pages that speak it.
const localeFiles = {};
for (const file of readdirSync(join(root, 'widget/src/i18n'))) {
  const language = /^([a-z]{2})\.ts$/.exec(file)?.[1];
  if (!language || language === 'en') continue;
  const locale = await build({ ...common, metafile: false, legalComments: 'none', entryPoints: [join(root, 'widget/src/i18n', file)], format: 'esm', outfile: join(dist, 'locale.js') });
  const code = locale.outputFiles[0].contents;
  const name = `equos-avatar-${language}.${createHash('sha256').update(code).digest('hex').slice(0, 10)}.js`;
  writeFileSync(join(dist, name), code);
  localeFiles[language] = name;
}

const loader = await build({
  ...common,
  entryPoints: [join(root, 'widget/src/index.ts')],
  format: 'iife',
  outfile: join(dist, 'equos-avatar.js'),
  plugins: [minifyLitCss, keepLanguagesOut],
  define: {
    __EQUOS_LIVE_CHUNK__: JSON.stringify(liveName),
    __EQUOS_VERSION__: JSON.stringify(version),
    __EQUOS_LOCALE_FILES__: JSON.stringify(localeFiles),
    __EQUOS_BUNDLED__: 'true',
  },
});

/** Writes an output, its legal comments renamed alongside. */
function emit(outputFiles, from, to) {
  const sizes = {};
  for (const file of outputFiles) {
    const isLegal = file.path.endsWith('.LEGAL.txt');
    const name = isLegal ? `${to}.LEGAL.txt` : to;
    let contents = file.contents;
    if (!isLegal) {
      const text = file.text.replace(`${from}.LEGAL.txt`, `${to}.LEGAL.txt`);
      contents = Buffer.from(text);
      sizes.raw = contents.length;
      sizes.gzip = gzipSync(contents, { level: 9 }).length;
    }
    writeFileSync(join(dist, name), contents);
  }
  return sizes;
}

const sizes = {
  'equos-avatar.js': emit(loader.outputFiles, 'equos-avatar.js', 'equos-avatar.js'),
  'equos-avatar-live.js': emit(live.outputFiles, 'live.js', liveName),
};
// The licences of everything bundled (Lit: BSD-3-Clause; livekit-client, @livekit/protocol:
// Apache-2.0; …), which redistributing them requires.
const bundled = new Map();
for (const result of [loader, live]) {
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match && !bundled.has(match[1])) bundled.set(match[1], join(root, 'node_modules', match[1]));
  }
}
const licences = [...bundled].sort().map(([name, dir]) => {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((entry) => /^licen[cs]e/i.test(entry));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
  return `${name}@${pkg.version} (${pkg.license})\n\n${text}`;
});
writeFileSync(join(dist, 'equos-avatar.LICENSES.txt'), `Third-party software bundled in the Equos avatar widget\n\n${licences.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`);

writeFileSync(join(dist, 'manifest.json'), JSON.stringify({ version, loader: 'equos-avatar.js', live: liveName, locales: localeFiles, sizes }, null, 2));

let over = false;
for (const [file, { raw, gzip }] of Object.entries(sizes)) {
  const limit = budget[file].gzipBytes;
  const status = gzip > limit ? 'OVER BUDGET' : 'ok';
  if (gzip > limit) over = true;
  process.stdout.write(`${file.padEnd(22)} ${(raw / 1024).toFixed(1).padStart(7)} KB raw ${(gzip / 1024).toFixed(1).padStart(6)} KB gzip  (budget ${(limit / 1024).toFixed(0)} KB) ${status}\n`);
}
if (over) process.exit(1);
