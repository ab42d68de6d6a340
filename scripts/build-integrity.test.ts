/**
 * The build's Subresource Integrity (scripts/build.mjs): the manifest's hashes are those of the
 * bytes it wrote, the pinned launcher is the alias byte for byte, and the launcher's one hash
 * anchors the integrity index, which holds every later file's. Built into a scratch directory,
 * so dist/ is left to whoever else reads it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);

interface Manifest {
  version: string;
  loader: string;
  versioned: string;
  integrityIndex: string;
  panel: string;
  live: string;
  locales: Record<string, string>;
  callWords: Record<string, string>;
  strings: string;
  files: string[];
  integrity: Record<string, string>;
  pinned: { src: string; integrity: string };
}

/** SHA-384 as SRI writes it, computed here independently of the build. */
const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

let out: string;
let manifest: Manifest;
const read = (file: string) => readFileSync(join(out, file));

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'build-sri-'));
  await run(process.execPath, [join(root, 'scripts/build.mjs')], { env: { ...process.env, BUILD_OUT_DIR: out }, cwd: root });
  manifest = JSON.parse(read('manifest.json').toString('utf8')) as Manifest;
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the build’s integrity', () => {
  it('lists every script it wrote, each with the SHA-384 of its bytes (and of its .br and .gz copies, decoded)', () => {
    const scripts = readdirSync(out).filter((file) => file.startsWith('equos-avatar') && file.endsWith('.js')).sort();
    expect([...manifest.files].sort()).toEqual(scripts);
    expect(Object.keys(manifest.integrity).sort()).toEqual(scripts);
    for (const file of scripts) {
      expect(manifest.integrity[file], file).toBe(sri(read(file)));
      expect(sri(gunzipSync(read(`${file}.gz`))), `${file}.gz`).toBe(manifest.integrity[file]);
      expect(sri(brotliDecompressSync(read(`${file}.br`))), `${file}.br`).toBe(manifest.integrity[file]);
    }
  });

  it('writes the launcher under its version too, the same bytes, and pins that name', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.versioned).toBe(`equos-avatar@${version}.js`);
    expect(read(manifest.versioned).equals(read(manifest.loader))).toBe(true);
    expect(manifest.pinned).toEqual({ src: manifest.versioned, integrity: sri(read(manifest.loader)) });
  });

  it('indexes every later file’s integrity, and the launcher carries the index’s name and hash', async () => {
    const later = [manifest.panel, manifest.live, ...Object.values(manifest.locales), ...Object.values(manifest.callWords), manifest.strings];
    const { default: index } = (await import(join(out, manifest.integrityIndex))) as { default: Record<string, string> };
    // Every file but the launcher (both names) and the index itself: nothing later loads unchecked.
    const expected = manifest.files.filter((file) => ![manifest.loader, manifest.versioned, manifest.integrityIndex].includes(file));
    expect(Object.keys(index).sort()).toEqual(expected.sort());
    expect(expected).toEqual(expect.arrayContaining(later));
    for (const file of expected) expect(index[file], file).toBe(sri(read(file)));
    expect(manifest.integrityIndex).toMatch(/^equos-avatar-integrity\.[0-9a-f]{10}\.js$/);
    const launcher = read(manifest.loader).toString('utf8');
    expect(launcher).toContain(`"${manifest.integrityIndex}"`);
    expect(launcher).toContain(`"${sri(read(manifest.integrityIndex))}"`);
  });

  it('prints the pinned tag with npm run snippet', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'scripts/snippet.mjs'), 'https://avatar.example.com/'], { env: { ...process.env, BUILD_OUT_DIR: out } });
    expect(stdout).toBe(
      `<script src="https://avatar.example.com/${manifest.versioned}"\n` +
        `        integrity="${manifest.pinned.integrity}" crossorigin="anonymous"\n` +
        `        data-server="https://avatar.example.com" async></script>\n`,
    );
  });
});
