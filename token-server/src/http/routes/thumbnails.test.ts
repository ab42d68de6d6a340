/**
 * `GET /api/presets/:name/thumbnail` over real HTTP: the token server in front of real source
 * servers on loopback (one counting its fetches and switchable into failures, and the sandbox's
 * Equos double serving the demo avatar's picture as `npm start` does).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../../sandbox/equos-api/server.js';
import { readCreatedSession, readPublicPresets } from '../../../../contract/token-server-api.js';
import { SITE_ORIGIN, TEST_API_KEY, startStack, type RecordedResponse, type Stack } from '../../../test/harness.js';
import type { Preset } from '../../config/presets.js';
import { loadSharpResizer } from '../../thumbnails/resizer.js';
import type { ThumbnailOptions } from '../../thumbnails/thumbnails.js';

const DEMO_PNG = readFileSync(new URL('../../../../sandbox/avatar/media/thumbnail.png', import.meta.url));
/** A signed CDN URL's signature: must never reach a log line or a response. */
const SIGNATURE = 'sig-0123456789abcdef';

type Mode = 'ok' | 'down' | 'slow' | 'html' | 'huge' | 'garbage';

/** A picture host on loopback: `/<name>.png` in the mode set for `<name>`, counting each fetch. */
class SourceServer {
  readonly modes = new Map<string, Mode>();
  readonly hits = new Map<string, number>();
  readonly headers: IncomingHttpHeaders[] = [];
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const name = new URL(request.url ?? '/', 'http://x').pathname.slice(1).replace(/\.png$/, '');
      this.hits.set(name, (this.hits.get(name) ?? 0) + 1);
      this.headers.push(request.headers);
      const mode = this.modes.get(name) ?? 'ok';
      if (mode === 'down') return void response.writeHead(500).end('no');
      if (mode === 'html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      if (mode === 'garbage') return void response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(4096, 7));
      if (mode === 'huge') {
        // No Content-Length: the cap must hold while reading.
        response.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(1024 * 1024);
        for (let i = 0; i < 6; i++) response.write(chunk);
        return void response.end();
      }
      const send = () => response.writeHead(200, { 'content-type': 'image/png', 'content-length': DEMO_PNG.byteLength }).end(DEMO_PNG);
      if (mode === 'slow') return void setTimeout(send, 1500);
      // A little latency, so concurrent requests really overlap.
      setTimeout(send, 30);
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  pictureUrl(name: string): string {
    return `${this.url}/${name}.png?token=${SIGNATURE}`;
  }

  close(): Promise<void> {
    this.#server?.closeAllConnections();
    return new Promise((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}

const source = new SourceServer();
let demo: RunningEquosApiDouble;
let stack: Stack;

const preset = (name: string, thumbnailUrl?: string): Preset => ({ name, displayName: name, avatarId: 'avatar-1', maxDurationS: 300, ...(thumbnailUrl ? { thumbnailUrl } : {}) });
const FAILURE_TTL_MS = 300;

/** A stack whose presets show the given pictures. */
function stackWith(presets: Preset[], thumbnails: ThumbnailOptions): Promise<Stack> {
  return startStack({ config: { presets, defaultPreset: presets[0]!.name }, deps: { thumbnails } });
}

beforeAll(async () => {
  await source.start();
  // The sandbox's Equos double serves the demo avatar's picture as `npm start` shows it.
  demo = await startEquosApiDouble({ apiKey: TEST_API_KEY, thumbnails: { 'sandbox-avatar': DEMO_PNG } });
  const names = ['counted', 'flaky', 'slow', 'html', 'huge', 'garbage', 'fresh'];
  stack = await stackWith(
    [preset('ava', `${demo.url}/avatars/sandbox-avatar.png`), preset('bare'), ...names.map((name) => preset(name, source.pictureUrl(name)))],
    { resizer: await loadSharpResizer(), failureTtlMs: FAILURE_TTL_MS, sourceTimeoutMs: 500 },
  );
});
afterAll(async () => {
  await stack?.close();
  await demo?.close();
  await source.close();
  expect(stack.secretLeaks()).toEqual([]);
  expect(stack.logs.join('\n')).not.toContain(SIGNATURE);
  // The picture's host never sees a credential.
  for (const headers of source.headers) {
    expect(headers.authorization).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(TEST_API_KEY);
  }
});
beforeEach(() => source.modes.clear());

/** GETs a picture as an `<img>` does: no Origin. */
async function picture(path: string, headers: Record<string, string> = {}): Promise<{ response: Response; body: Uint8Array }> {
  const response = await fetch(`${stack.url}${path}`, { headers });
  return { response, body: new Uint8Array(await response.arrayBuffer()) };
}

const isWebp = (body: Uint8Array) => Buffer.from(body.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(body.subarray(8, 12)).toString('latin1') === 'WEBP';

function expectProblem(response: RecordedResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.json()).toMatchObject({ status, code, type: `/problems/${code}` });
}

const warnings = (event: string) => stack.logs.filter((line) => line.includes(`"event":"${event}"`)).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('GET /api/presets with resizing', () => {
  it("lists each picture at this server's own URLs, the default size as thumbnail_url", async () => {
    const response = await stack.request('/api/presets');
    const presets = response.json<Array<Record<string, unknown>>>();
    expect(presets[0]).toEqual({
      name: 'ava',
      display_name: 'ava',
      thumbnail_url: 'api/presets/ava/thumbnail?w=128',
      thumbnails: [64, 128, 192, 384].map((width) => ({ url: `api/presets/ava/thumbnail?w=${width}`, width })),
    });
    expect(presets[1]).toEqual({ name: 'bare', display_name: 'bare' });
    // The source (and its signature) stays on the server.
    expect(response.text).not.toContain('127.0.0.1');
    expect(readPublicPresets(presets)).toEqual(presets);
  });
});

describe('GET /api/presets/:name/thumbnail', () => {
  it('is a square WebP of the width asked for, cached for a day, open to any page', async () => {
    for (const width of [64, 128, 192]) {
      const { response, body } = await picture(`/api/presets/ava/thumbnail?w=${width}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(isWebp(body)).toBe(true);
      expect(await sharp(body).metadata()).toMatchObject({ format: 'webp', width, height: width });
      expect(response.headers.get('cache-control')).toBe('public, max-age=86400, stale-while-revalidate=604800');
      expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      // WebP only (AVIF is off, see resizer.ts): nothing to vary on.
      expect(response.headers.get('vary')).toBeNull();
    }
    // The demo picture is 256 px: the 384 px size is not enlarged.
    const { body } = await picture('/api/presets/ava/thumbnail?w=384');
    expect(await sharp(body).metadata()).toMatchObject({ width: 256, height: 256 });
  });

  it('rounds w up to the next served width, the largest above it, 128 when absent', async () => {
    const etag = async (query: string) => (await picture(`/api/presets/ava/thumbnail${query}`)).response.headers.get('etag');
    const served = Object.fromEntries(await Promise.all([64, 128, 192, 384].map(async (width) => [width, await etag(`?w=${width}`)] as const)));
    expect(new Set(Object.values(served)).size).toBe(4);
    expect(await etag('?w=1')).toBe(served[64]);
    expect(await etag('?w=60')).toBe(served[64]);
    expect(await etag('?w=65')).toBe(served[128]);
    expect(await etag('?w=120')).toBe(served[128]);
    expect(await etag('')).toBe(served[128]);
    expect(await etag('?w=180')).toBe(served[192]);
    expect(await etag('?w=360')).toBe(served[384]);
    expect(await etag('?w=100000')).toBe(served[384]);
    expect(await etag(`?w=${'9'.repeat(400)}`)).toBe(served[384]);
  });

  it('refuses a w that is not a positive whole number with 400 invalid-field', async () => {
    for (const w of ['0', '-64', '1.5', 'abc', '', '0x40', '1e2', '064', '%2064', '64px']) {
      const response = await stack.request(`/api/presets/ava/thumbnail?w=${w}`, { origin: null });
      expectProblem(response, 400, 'invalid-field');
      expect(response.json().detail).toMatch(/`w`/);
    }
  });

  it('is a 404 problem for an unknown preset and for a preset without a picture', async () => {
    const unknown = await stack.request('/api/presets/nobody/thumbnail?w=64', { origin: null });
    expectProblem(unknown, 404, 'not-found');
    expect(unknown.json().detail).toBe('No preset is named "nobody".');
    const bare = await stack.request('/api/presets/bare/thumbnail', { origin: null });
    expectProblem(bare, 404, 'not-found');
    expect(bare.json().detail).toBe('The preset "bare" has no picture.');
    // A name is only ever a key, never a URL.
    for (const name of ['http%3A%2F%2F127.0.0.1%2Fx.png', '..%2F..%2Fhealthz', '%00']) {
      expectProblem(await stack.request(`/api/presets/${name}/thumbnail`, { origin: null }), 404, 'not-found');
    }
  });

  it('answers HEAD like GET without a body, and other methods with 405 and Allow', async () => {
    const head = await fetch(`${stack.url}/api/presets/ava/thumbnail?w=64`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/webp');
    expect(head.headers.get('etag')).toMatch(/^"/);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await stack.request('/api/presets/ava/thumbnail?w=64', { method });
      expectProblem(response, 405, 'method-not-allowed');
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('answers 304 when If-None-Match names its ETag', async () => {
    const { response } = await picture('/api/presets/ava/thumbnail?w=64');
    const etag = response.headers.get('etag')!;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const { response: again, body } = await picture('/api/presets/ava/thumbnail?w=64', { 'if-none-match': header });
      expect(again.status).toBe(304);
      expect(body.byteLength).toBe(0);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('public, max-age=86400, stale-while-revalidate=604800');
    }
    expect((await picture('/api/presets/ava/thumbnail?w=64', { 'if-none-match': '"other"' })).response.status).toBe(200);
  });

  it('is served to any page: no Origin, an allowed one, and one the allowlist refuses for the API', async () => {
    for (const origin of [null, SITE_ORIGIN, 'https://elsewhere.example']) {
      const response = await stack.request('/api/presets/ava/thumbnail?w=64', { origin });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    }
    // The rest of the API still refuses that origin.
    expect((await stack.request('/api/presets', { origin: 'https://elsewhere.example' })).status).toBe(403);
  });

  it('fetches the source once and resizes once for concurrent requests of one size; sizes share a fetch', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => picture('/api/presets/counted/thumbnail?w=128')));
    expect(answers.map(({ response }) => response.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map(({ response }) => response.headers.get('etag'))).size).toBe(1);
    expect(source.hits.get('counted')).toBe(1);
    expect(stack.logs.filter((line) => line.includes('"event":"thumbnail.resized"') && line.includes('"preset":"counted"'))).toHaveLength(1);

    // Two other sizes at once: one more fetch between them.
    await Promise.all([picture('/api/presets/counted/thumbnail?w=64'), picture('/api/presets/counted/thumbnail?w=192'), picture('/api/presets/counted/thumbnail?w=64')]);
    expect(source.hits.get('counted')).toBe(2);
    // Then all from memory.
    await Promise.all([64, 128, 192].map((width) => picture(`/api/presets/counted/thumbnail?w=${width}`)));
    expect(source.hits.get('counted')).toBe(2);
  });

  it('answers 502 thumbnail-unavailable while the source is down, without hammering it, and recovers', async () => {
    source.modes.set('flaky', 'down');
    const down = await stack.request('/api/presets/flaky/thumbnail?w=64', { origin: null });
    expectProblem(down, 502, 'thumbnail-unavailable');
    expect(warnings('thumbnail.source.failed').at(-1)).toMatchObject({ level: 'warn', preset: 'flaky', reason: 'status', status: 500, source_host: new URL(source.url).host });
    // Within the failure's short memory the source is left alone.
    expectProblem(await stack.request('/api/presets/flaky/thumbnail?w=64', { origin: null }), 502, 'thumbnail-unavailable');
    expect(source.hits.get('flaky')).toBe(1);

    source.modes.set('flaky', 'ok');
    await new Promise((resolve) => setTimeout(resolve, FAILURE_TTL_MS + 50));
    const { response, body } = await picture('/api/presets/flaky/thumbnail?w=64');
    expect(response.status).toBe(200);
    expect(isWebp(body)).toBe(true);
    expect(source.hits.get('flaky')).toBe(2);
  });

  it.each([
    ['slow', 'timeout'],
    ['html', 'not-an-image'],
    ['huge', 'too-large'],
    ['garbage', 'undecodable'],
  ] as const)('answers 502 for a source that is %s (%s), never a 500', async (name, reason) => {
    source.modes.set(name, name);
    const response = await stack.request(`/api/presets/${name}/thumbnail?w=64`, { origin: null });
    expectProblem(response, 502, 'thumbnail-unavailable');
    expect(warnings('thumbnail.source.failed').filter((line) => line.preset === name).at(-1)).toMatchObject({ reason });
    expect(warnings('request.failed')).toEqual([]);
  });

  it('keeps serving a copy whose source failed on refresh', async () => {
    const fresh = await stackWith([preset('fresh', source.pictureUrl('fresh'))], { resizer: await loadSharpResizer(), freshMs: 0, failureTtlMs: 0 });
    try {
      const first = await fetch(`${fresh.url}/api/presets/fresh/thumbnail?w=64`);
      const etag = first.headers.get('etag');
      source.modes.set('fresh', 'down');
      // Stale at once (freshMs 0): served as it is while it is fetched again, and after that fails.
      for (let i = 0; i < 3; i++) {
        const again = await fetch(`${fresh.url}/api/presets/fresh/thumbnail?w=64`);
        expect([again.status, again.headers.get('etag')]).toEqual([200, etag]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(fresh.logs.some((line) => line.includes('"event":"thumbnail.source.failed"'))).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});

describe("what a page loads up front: the sandbox's demo picture", () => {
  it('is under 6 KB at 1× (64 px) and at 2× (128 px), against the 26 KB PNG', async () => {
    const sizes: Record<string, number> = {};
    for (const width of [64, 128, 192, 384]) sizes[width] = (await picture(`/api/presets/ava/thumbnail?w=${width}`)).body.byteLength;
    expect(sizes[64]).toBeLessThan(6 * 1024);
    expect(sizes[128]).toBeLessThan(6 * 1024);
    expect(DEMO_PNG.byteLength).toBeGreaterThan(5 * sizes[128]!);
  });
});

describe('a created session', () => {
  it("shows the preset's picture at the panel's size, from this server", async () => {
    const body = await stack.createSession({ preset: 'ava' });
    expect(body.avatar_thumbnail_url).toBe('api/presets/ava/thumbnail?w=384');
    expect(readCreatedSession(body)).toEqual(body);
  });
});

describe('without a resizer (sharp cannot load)', () => {
  let plain: Stack;
  const pictureUrl = () => `${demo.url}/avatars/sandbox-avatar.png`;
  beforeAll(async () => {
    plain = await stackWith([preset('ava', pictureUrl()), preset('bare')], { resizer: null });
  });
  afterAll(() => plain?.close());

  it('lists the source as before and redirects the route to it', async () => {
    expect((await plain.request('/api/presets')).json()).toEqual([
      { name: 'ava', display_name: 'ava', thumbnail_url: pictureUrl() },
      { name: 'bare', display_name: 'bare' },
    ]);
    const response = await fetch(`${plain.url}/api/presets/ava/thumbnail?w=64`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(pictureUrl());
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expectProblem(await plain.request('/api/presets/bare/thumbnail'), 404, 'not-found');
    expectProblem(await plain.request('/api/presets/ava/thumbnail?w=x'), 400, 'invalid-field');
    expect((await plain.createSession({ preset: 'ava' })).avatar_thumbnail_url).toBe(pictureUrl());
  });
});

describe('with AVIF on (negotiated by Accept)', () => {
  let avif: Stack;
  beforeAll(async () => {
    avif = await stackWith([preset('ava', `${demo.url}/avatars/sandbox-avatar.png`)], { resizer: await loadSharpResizer({ avif: true }) });
  });
  afterAll(() => avif?.close());

  const get = async (accept: string | undefined) => {
    const response = await fetch(`${avif.url}/api/presets/ava/thumbnail?w=64`, { headers: accept === undefined ? {} : { accept } });
    return { type: response.headers.get('content-type'), vary: response.headers.get('vary'), etag: response.headers.get('etag'), body: new Uint8Array(await response.arrayBuffer()) };
  };

  it('sends AVIF only to browsers that list it, and says it varies by Accept', async () => {
    const chrome = await get('image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8');
    expect(chrome).toMatchObject({ type: 'image/avif', vary: 'Accept' });
    expect(Buffer.from(chrome.body.subarray(4, 12)).toString('latin1')).toBe('ftypavif');
    for (const accept of ['image/webp,*/*', 'image/*', 'image/avif;q=0, image/webp', undefined]) {
      const other = await get(accept);
      expect(other).toMatchObject({ type: 'image/webp', vary: 'Accept' });
      expect(other.etag).not.toBe(chrome.etag);
    }
  });
});
