#!/usr/bin/env node
/**
 * Builds the widget into dist/:
 * - equos-avatar.js: the one script a page includes (the launcher, its words and settings, the
 *   page's API), an IIFE so it works from any <script> tag;
 * - equos-avatar-panel.<hash>.js: what a visitor who clicked sees (the panel, the call's state
 *   machine, focus), an ES module the first file imports at the first sign of intent. It
 *   renders through the first file's Lit: `lit` is replaced by widget/src/internal/lit-templates.ts;
 * - equos-avatar-live.<hash>.js: the real-time part (livekit-client), an ES module fetched on
 *   intent (modulepreload) and run once the panel is open;
 * - the later files are content-hashed so they can be cached forever;
 * - equos-avatar-<lang>.<hash>.js: each language but English (widget/src/i18n/<lang>.ts), its
 *   call's words in equos-avatar-<lang>-call.<hash>.js (i18n/call/<lang>.ts, fetched on intent),
 *   and equos-avatar-strings.<hash>.js, which applies a page's own words (i18n/overrides.ts): ES
 *   modules imported only by the pages that need them. One hash of the whole set names them all,
 *   so the script every page loads carries one hash and the list of languages, not a name each;
 * - beside each script, its Brotli (`.br`) and gzip (`.gz`) copies, compressed once here at
 *   the highest levels, which the token server sends to browsers that take them;
 * - equos-avatar@<version>.js: the first file again, under a name that never changes content,
 *   which pages pin with Subresource Integrity; equos-avatar-integrity.<hash>.js: every later
 *   file's SHA-384, the one hash the first file carries (see "The integrity index" below);
 * - manifest.json: file names (`files`: every file a server must serve), version and sizes, and
 *   each file's `integrity` with the `pinned` script (`npm run snippet` prints its tag).
 * Fails when a file is over its budget in widget/size-budget.json. Also builds the token server
 * for production into dist/server/ (scripts/build-server.mjs; `npm run build:server` alone).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import { minify } from 'terser';
import { buildServer } from './build-server.mjs';

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

/**
 * In the widget's script, languages, the page's words and the panel are separate files: never
 * bundle their source modules (imported only when running from source).
 */
const keepLaterFilesOut = {
  name: 'keep-later-files-out',
  setup(context) {
    context.onResolve({ filter: /^\.\/(?:[a-z]{2}|overrides)\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && args.importer.endsWith('localize.ts') ? { path: args.path, external: true } : undefined,
    );
    context.onResolve({ filter: /^\.\.\/(?:panel\/panel|opt-in\/opt-in)-file\.js$/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};

/** Writes a script and its compressed copies. */
function writeScript(name, contents) {
  writeFileSync(join(dist, name), contents);
  writeFileSync(join(dist, `${name}.gz`), gzipSync(contents, { level: 9 }));
  writeFileSync(join(dist, `${name}.br`), brotliCompressSync(contents, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: contents.length } }));
}

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

const panel = await build({
  ...common,
  entryPoints: [join(root, 'widget/src/panel/panel-file.ts')],
  format: 'esm',
  outfile: join(dist, 'panel.js'),
  plugins: [minifyLitCss],
  alias: { lit: join(root, 'widget/src/internal/lit-templates.ts') },
});
panel.outputFiles = await squeeze(panel.outputFiles, true);
const panelCode = panel.outputFiles.find((file) => file.path.endsWith('panel.js')).contents;
const panelName = `equos-avatar-panel.${createHash('sha256').update(panelCode).digest('hex').slice(0, 10)}.js`;

// What only the pages that ask for it load, as the panel's file (an ES module, through the
// launcher's Lit): equos-avatar-opt-in.<hash>.js, the analytics and the proactive invitations
// (widget/src/opt-in/opt-in-file.ts), one file so that the launcher carries one name for them.
const optIn = await build({
  ...common,
  entryPoints: [join(root, 'widget/src/opt-in/opt-in-file.ts')],
  format: 'esm',
  outfile: join(dist, 'opt-in.js'),
  plugins: [minifyLitCss],
  alias: { lit: join(root, 'widget/src/internal/lit-templates.ts') },
});
const optInCode = optIn.outputFiles.find((file) => file.path.endsWith('opt-in.js')).contents;
const optInName = `equos-avatar-opt-in.${createHash('sha256').update(optInCode).digest('hex').slice(0, 10)}.js`;

// Every language but English is a file of its own, loaded only by the pages that speak it, and
// so is the code that applies a page's own words.
const i18nDir = join(root, 'widget/src/i18n');
const otherLanguages = readdirSync(i18nDir)
  .map((file) => /^([a-z]{2})\.ts$/.exec(file)?.[1])
  .filter((language) => language && language !== 'en')
  .sort();
const wordFiles = [
  ...otherLanguages.map((language) => ({ name: language, entry: join(i18nDir, `${language}.ts`) })),
  // A call's words, fetched at the first sign of intent rather than before the launcher shows.
  ...otherLanguages.map((language) => ({ name: `${language}-call`, entry: join(i18nDir, 'call', `${language}.ts`) })),
  { name: 'strings', entry: join(i18nDir, 'overrides.ts') },
];
for (const file of wordFiles) {
  // UTF-8 rather than \u escapes: a third of the size for Arabic, Hindi or Russian, and module
  // scripts are always read as UTF-8, whatever the server says.
  const output = await build({ ...common, metafile: false, legalComments: 'none', charset: 'utf8', entryPoints: [file.entry], format: 'esm', outfile: join(dist, 'words.js') });
  file.code = output.outputFiles[0].contents;
}
const i18nHash = createHash('sha256');
for (const { name, code } of wordFiles) i18nHash.update(`${name}\0`).update(code);
const i18nTag = i18nHash.digest('hex').slice(0, 10);
const languages = otherLanguages;
const localeFiles = {};
const callWordFiles = {};
const wordSizes = {};
for (const file of wordFiles) {
  const fileName = `equos-avatar-${file.name}.${i18nTag}.js`;
  writeScript(fileName, file.code);
  if (languages.includes(file.name)) localeFiles[file.name] = fileName;
  else if (file.name.endsWith('-call')) callWordFiles[file.name.replace('-call', '')] = fileName;
  wordSizes[file.name] = { raw: file.code.length, gzip: gzipSync(file.code, { level: 9 }).length };
}
const stringsName = `equos-avatar-strings.${i18nTag}.js`;

// Written before the launcher is built: the integrity index below hashes their final bytes.
const panelSizes = emit(panel.outputFiles, 'panel.js', panelName);
const liveSizes = emit(live.outputFiles, 'live.js', liveName);
const optInSizes = emit(optIn.outputFiles, 'opt-in.js', optInName);

// The integrity index, equos-avatar-integrity.<hash>.js: every later file's SHA-384, which the
// launcher, carrying this file's alone, checks each against (widget/src/internal/checked-import.ts).
// It takes every content-hashed file in dist/ at this point, so a new later file only has to
// be written before here (the build fails on one written after).
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const hashedFile = /^equos-avatar-[a-z][a-z0-9-]*\.[0-9a-f]{10}\.js$/;
const laterIntegrity = Object.fromEntries(readdirSync(dist).filter((file) => hashedFile.test(file)).sort().map((file) => [file, sri(readFileSync(join(dist, file)))]));
const integrityCode = Buffer.from(`export default ${JSON.stringify(laterIntegrity)};\n`);
const integrityName = `equos-avatar-integrity.${createHash('sha256').update(integrityCode).digest('hex').slice(0, 10)}.js`;
writeScript(integrityName, integrityCode);

const loaderDefines = {
  __EQUOS_INTEGRITY_FILE__: JSON.stringify(integrityName),
  __EQUOS_INTEGRITY__: JSON.stringify(sri(integrityCode)),
  __EQUOS_PANEL_FILE__: JSON.stringify(panelName),
  __EQUOS_LIVE_CHUNK__: JSON.stringify(liveName),
  __EQUOS_OPT_IN_FILE__: JSON.stringify(optInName),
  __EQUOS_VERSION__: JSON.stringify(version),
  __EQUOS_I18N_HASH__: JSON.stringify(i18nTag),
  __EQUOS_LANGUAGES__: JSON.stringify(languages),
};
const loader = await build({
  ...common,
  entryPoints: [join(root, 'widget/src/index.ts')],
  format: 'iife',
  outfile: join(dist, 'equos-avatar.js'),
  plugins: [minifyLitCss, keepLaterFilesOut],
  define: loaderDefines,
});
// The same script as an ES module for bundlers: the npm package's element module
// (`import 'equos-avatar'`: widget/src/module.ts, which also exports the element's class and
// events). Lit is left to the page's bundler, so a page that uses Lit has one copy; the later
// files are these same hashed files, from the token server. scripts/build-package.mjs builds
// the rest of the package.
await build({
  ...common,
  write: true,
  metafile: false,
  // Readable (the page's bundler minifies), without the branches the defines settle.
  minify: false,
  minifySyntax: true,
  legalComments: 'none',
  entryPoints: [join(root, 'widget/src/module.ts')],
  format: 'esm',
  outfile: join(dist, 'npm/equos-avatar.mjs'),
  plugins: [minifyLitCss, keepLaterFilesOut],
  external: ['lit'],
  define: loaderDefines,
});
loader.outputFiles = await squeeze(loader.outputFiles);

/**
 * The launcher, which every page pays for, and the panel's file, which every visitor who
 * shows intent waits for, go through terser after esbuild: its second compression pass finds
 * about 2.5 % (290 B gzip in the launcher) that esbuild's single pass leaves. Only safe
 * transforms; the licence comment stays.
 *
 * @param module an ES module (its top level may be renamed too)
 */
async function squeeze(outputFiles, module = false) {
  return Promise.all(
    outputFiles.map(async (file) => {
      if (!file.path.endsWith('.js')) return file;
      const { code } = await minify(file.text, { ecma: 2020, module, compress: { passes: 2 }, mangle: true, format: { comments: /license information/ } });
      return { path: file.path, text: code, contents: Buffer.from(code) };
    }),
  );
}

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
      writeScript(name, contents);
    } else {
      writeFileSync(join(dist, name), contents);
    }
  }
  return sizes;
}

const largest = (names) => names.reduce((big, name) => (wordSizes[name].gzip > wordSizes[big].gzip ? name : big));
const largestLanguage = largest(languages);
const largestCallWords = largest(languages.map((language) => `${language}-call`));
const sizes = {
  'equos-avatar.js': emit(loader.outputFiles, 'equos-avatar.js', 'equos-avatar.js'),
  'equos-avatar-panel.js': panelSizes,
  'equos-avatar-live.js': liveSizes,
  'equos-avatar-integrity.js': { raw: integrityCode.length, gzip: gzipSync(integrityCode, { level: 9 }).length },
  // The largest language's file: what a page in another language than English adds.
  'equos-avatar-<lang>.js': { ...wordSizes[largestLanguage], language: largestLanguage },
  // The largest language's call words: what it adds at the first sign of intent.
  'equos-avatar-<lang>-call.js': { ...wordSizes[largestCallWords], language: largestCallWords.replace('-call', '') },
  'equos-avatar-strings.js': wordSizes.strings,
  'equos-avatar-opt-in.js': optInSizes,
};
// The licences of everything bundled (Lit: BSD-3-Clause; livekit-client, @livekit/protocol:
// Apache-2.0; …), which redistributing them requires.
const bundled = new Map();
for (const result of [loader, panel, live]) {
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

// The launcher under a versioned name too, served immutable, which a page pins with `integrity`:
// the same bytes, so one hash for both names.
const versionedName = `equos-avatar@${version}.js`;
writeScript(versionedName, readFileSync(join(dist, 'equos-avatar.js')));
const unindexed = readdirSync(dist).filter((file) => hashedFile.test(file) && file !== integrityName && !(file in laterIntegrity));
if (unindexed.length) throw new Error(`${unindexed.join(', ')}: written after the integrity index; write later files before it`);

const files = ['equos-avatar.js', versionedName, integrityName, panelName, liveName, optInName, ...Object.values(localeFiles), ...Object.values(callWordFiles), stringsName];
// Subresource Integrity of every file (SHA-384 of its bytes, which is also what a browser that took a .br or .gz copy hashes).
const integrity = Object.fromEntries(files.map((file) => [file, sri(readFileSync(join(dist, file)))]));
const pinned = { src: versionedName, integrity: integrity[versionedName] };
const languageSizes = Object.fromEntries(languages.map((language) => [language, wordSizes[language]]));
writeFileSync(
  join(dist, 'manifest.json'),
  JSON.stringify({ version, loader: 'equos-avatar.js', panel: panelName, live: liveName, locales: localeFiles, callWords: callWordFiles, strings: stringsName, files, sizes, languageSizes, versioned: versionedName, integrityIndex: integrityName, integrity, pinned }, null, 2),
);

// The token server's production build, beside the widget's files it serves (scripts/build-server.mjs).
await buildServer({ out: join(dist, 'server') });

let over = false;
for (const [file, { raw, gzip }] of Object.entries(sizes)) {
  const limit = budget[file].gzipBytes;
  const status = gzip > limit ? 'OVER BUDGET' : 'ok';
  if (gzip > limit) over = true;
  process.stdout.write(`${file.padEnd(24)} ${(raw / 1024).toFixed(1).padStart(7)} KB raw ${(gzip / 1024).toFixed(1).padStart(6)} KB gzip  (budget ${(limit / 1024).toFixed(0)} KB) ${status}\n`);
}
if (over) process.exit(1);
