/**
 * Property-based fuzzing of every route over real HTTP: 10,000+ requests with generated
 * methods, paths, ids, headers, content types, bodies and sizes against the token server in
 * its own process, plus malformed raw HTTP on a socket. Whatever arrives: no 5xx, every
 * error a well-formed RFC 9457 problem, no crash, the API key nowhere, memory bounded.
 *
 * Replay a failure with FUZZ_SEED=<seed> (printed on every run).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEquosApiDouble, type RunningEquosApiDouble } from '../../../sandbox/equos-api/server.js';
import { TEST_API_KEY } from '../../test/harness.js';
import { LIFTED_LIMITS, spawnTokenServer, type ServerProcess } from '../../test/server-process.js';
import { PROBLEM_STATUS, type ProblemBody } from '../../../contract/problems.js';

const ORIGIN = 'https://shop.example';
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = 520;
const BATCH = 20;

let equos: RunningEquosApiDouble;
let server: ServerProcess;
let base: string;
/** Real sessions, so generated ids and tokens hit live records too. */
const sessions: Array<{ id: string; token: string }> = [];

beforeAll(async () => {
  equos = await startEquosApiDouble({ apiKey: TEST_API_KEY });
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
  writeFileSync(join(dir, 'presets.json'), JSON.stringify({ presets: [{ name: 'default', avatar_id: 'avatar-1' }, { name: 'sales', avatar_id: 'avatar-2', max_duration_s: 60 }] }));
  server = spawnTokenServer({
    EQUOS_API_KEY: TEST_API_KEY,
    EQUOS_ENDPOINT: equos.url,
    PRESETS_FILE: join(dir, 'presets.json'),
    ALLOWED_ORIGINS: ORIGIN,
    SESSION_SECRET: 'fuzz-session-secret-0123456789abcdefghij',
    LEDGER_PATH: join(dir, 'ledger.sqlite'),
    TRUSTED_PROXY_HEADER: 'x-forwarded-for',
    // Here every 5xx would be a bug, not a limit doing its job.
    ...LIFTED_LIMITS,
  });
  base = await server.ready();
  for (let index = 0; index < 5; index += 1) {
    const response = await fetch(`${base}/api/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: '{}' });
    const body = (await response.json()) as { session_id: string; stop_token: string };
    sessions.push({ id: body.session_id, token: body.stop_token });
  }
}, 30_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  await equos?.close();
});

// ---- Generators -------------------------------------------------------------------------

const printable = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength });
const anyText = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
// Picked when generating (the sessions are created in beforeAll, after the generators are defined).
const realSession = () => fc.nat().map((index) => sessions[index % sessions.length]!);

const sessionId = fc.oneof(
  { weight: 3, arbitrary: realSession().map((session) => session.id) },
  { weight: 2, arbitrary: fc.stringMatching(/^ses_[a-z0-9]{1,30}$/) },
  { weight: 2, arbitrary: anyText(40).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', 'a'.repeat(5000), '%', '%zz', '__proto__', 'constructor') },
);

const stopToken = fc.oneof(
  realSession().map((session) => session.token),
  // Another session's token, or one with a byte changed: must be refused.
  fc.tuple(realSession(), fc.nat()).map(([session, at]) => {
    const position = at % session.token.length;
    return session.token.slice(0, position) + (session.token[position] === 'A' ? 'B' : 'A') + session.token.slice(position + 1);
  }),
  printable(200),
  anyText(100),
);

const path = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('/healthz', '/api/presets', '/api/sessions', '/api/sessions/', '/api', '/problems/invalid-json', '/equos-avatar.js', '/', '/examples/', '/robots.txt') },
  { weight: 6, arbitrary: fc.tuple(sessionId, fc.oneof({ weight: 8, arbitrary: fc.constantFrom('stop', 'heartbeat') }, { weight: 1, arbitrary: fc.constantFrom('stop/', '', 'STOP', 'x') })).map(([id, action]) => `/api/sessions/${id}/${action}`) },
  { weight: 1, arbitrary: fc.webPath().map((generated) => generated || '/') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/api/sessions', '/api/presets', '/healthz'), fc.webQueryParameters()).map(([route, query]) => `${route}?${query}`) },
  { weight: 1, arbitrary: anyText(30).map((text) => `/problems/${encodeURIComponent(text)}`) },
);

// Valid consents (recorded) and near misses (400): versions around the contract's pattern,
// times around 2020 and the server's clock.
const consentVersion = fc.oneof(fc.constantFrom('2026-11', 'v3', 'privacy-2.1', '', '-v3', 'x'.repeat(65)), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,70}$/), printable(70), fc.jsonValue());
const consentTime = fc.oneof(
  fc.date({ min: new Date('2019-06-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('2026-02-30T10:00:00Z', '2026-12-01T10:00:00+01:00', '2026-12-01', '+002026-12-01T10:00:00Z', '2026-12-01T10:00:00.123456789Z'),
  printable(40),
  fc.jsonValue(),
);
const createConsent = fc.oneof(
  { weight: 4, arbitrary: fc.record({ version: consentVersion, accepted_at: consentTime }) },
  { weight: 2, arbitrary: fc.record({ version: consentVersion, accepted_at: consentTime, text: fc.oneof(printable(40), fc.jsonValue()) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue() },
);

const createBody = fc
  .record(
    {
      preset: fc.oneof(fc.constantFrom('default', 'sales', 'DEFAULT', '', 'ghost'), fc.jsonValue()),
      participant_name: fc.oneof(anyText(300), fc.jsonValue()),
      room_config: fc.oneof(fc.record({ agents: fc.array(fc.record({ agent_name: fc.oneof(fc.constantFrom('default', 'sales'), fc.jsonValue()) }, { requiredKeys: [] }), { maxLength: 3 }) }), fc.jsonValue()),
      consent: createConsent,
      avatar_id: fc.string(),
      agent_id: fc.string(),
      max_duration: fc.integer(),
      stop_token: stopToken,
    },
    { requiredKeys: [] },
  )
  .map((fields) => JSON.stringify(fields));

const body = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: createBody },
  // A create the parser reads as far as its consent.
  { weight: 2, arbitrary: fc.record({ preset: fc.constantFrom('default', 'sales'), consent: createConsent }, { requiredKeys: ['consent'] }).map((fields) => JSON.stringify(fields)) },
  { weight: 3, arbitrary: stopToken.map((token) => JSON.stringify({ stop_token: token })) },
  { weight: 3, arbitrary: stopToken },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: anyText(500) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }) },
  // Large bodies are described, and built when sent, so a counterexample stays readable.
  { weight: 1, arbitrary: fc.constantFrom(8 * 1024, 64 * 1024, 1024 * 1024).map((size) => ({ repeat: 'x', times: size })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ nested: depth })) },
  { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"preset":"sales"}}', '{"constructor":{"prototype":{}}}', '{"preset":"default","preset":"sales"}', 'null', '[]', '"default"', '\ufeff{}') },
);

/** Headers the HTTP client manages itself. */
const FORBIDDEN_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer']);
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,24}$/).filter((name) => !FORBIDDEN_HEADERS.has(name));

const headers = fc.record(
  {
    origin: fc.oneof({ weight: 8, arbitrary: fc.constant(ORIGIN) }, { weight: 1, arbitrary: fc.constantFrom('null', 'https://evil.example', 'http://shop.example', 'https://shop.example:443', ORIGIN.toUpperCase()) }, { weight: 1, arbitrary: printable(60) }),
    'content-type': fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'text/plain;charset=UTF-8') },
      { weight: 2, arbitrary: fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'APPLICATION/JSON', 'application/json; charset=latin1', '') },
      { weight: 1, arbitrary: printable(60) },
    ),
    'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), fc.array(fc.ipV4(), { maxLength: 5 }).map((hops) => hops.join(', ')), printable(80)),
    'if-none-match': printable(40),
    accept: fc.constantFrom('*/*', 'application/problem+json', 'text/html'),
  },
  { requiredKeys: [] },
);

const extraHeaders = fc.dictionary(headerName, printable(200), { maxKeys: 4 });

const request = fc.record({
  method: fc.oneof({ weight: 6, arbitrary: fc.constant('POST') }, { weight: 3, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') }),
  path,
  headers,
  extraHeaders,
  body,
});
type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

// ---- Oracle -----------------------------------------------------------------------------

const statuses = new Map<number, number>();
const codes = new Map<string, number>();
let sent = 0;
let refusedByClient = 0;

function materialise(body: NonNullable<FuzzRequest['body']>): NonNullable<RequestInit['body']> {
  if (typeof body === 'string' || body instanceof Uint8Array) return body as NonNullable<RequestInit['body']>;
  return 'nested' in body ? '['.repeat(body.nested) + ']'.repeat(body.nested) : body.repeat.repeat(body.times);
}

/** Sends one generated request and checks everything a response must satisfy. */
async function check(input: FuzzRequest): Promise<void> {
  const init: RequestInit = { method: input.method, headers: { ...input.extraHeaders, ...input.headers }, redirect: 'manual' };
  if (input.body !== undefined && input.method !== 'GET' && input.method !== 'HEAD') init.body = materialise(input.body);
  let response: Response;
  try {
    response = await fetch(`${base}${input.path}`, init);
  } catch (error) {
    // A request the HTTP client itself will not send (e.g. an unparseable URL) never reached the server.
    if (error instanceof TypeError && !String((error as { cause?: unknown }).cause ?? '').includes('ECONN')) {
      refusedByClient += 1;
      return;
    }
    throw new Error(`the server dropped the connection for ${input.method} ${input.path.slice(0, 100)}: ${(error as Error).message}`);
  }
  sent += 1;
  const text = await response.text();
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  const where = `${input.method} ${input.path.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}`;
  expect(response.status, where).toBeLessThan(500);
  expect(text.includes(TEST_API_KEY) || [...response.headers.values()].some((value) => value.includes(TEST_API_KEY)), where).toBe(false);
  if (response.status === 201) expect(`${input.method} ${new URL(input.path, base).pathname}`, where).toBe('POST /api/sessions');
  if (response.status >= 400 && input.method !== 'HEAD') {
    expect(response.headers.get('content-type'), where).toBe('application/problem+json');
    const problem = JSON.parse(text) as ProblemBody;
    expect(Object.hasOwn(PROBLEM_STATUS, problem.code), where).toBe(true);
    expect([problem.status, PROBLEM_STATUS[problem.code], problem.type], where).toEqual([response.status, response.status, `/problems/${problem.code}`]);
    expect(typeof problem.title, where).toBe('string');
    codes.set(problem.code, (codes.get(problem.code) ?? 0) + 1);
  }
}

/** Writes raw bytes on a socket and waits for the server to answer or hang up. */
function rawExchange(bytes: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes, 'latin1'));
    let answer = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer in 5 s')));
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(answer) : reject(error)));
  });
}

describe(`fuzzing every route over HTTP (FUZZ_SEED=${seed})`, () => {
  it('answers 10,000+ generated requests with no 5xx and well-formed problems, within bounded memory', { timeout: 300_000 }, async () => {
    // Warm up, so memory is measured after the JIT and caches settled.
    await fc.assert(fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), (batch) => Promise.all(batch.map(check)).then(() => {})), { seed: seed + 1, numRuns: 40 });
    const rssBefore = server.rssBytes();
    sent = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await Promise.all(batch.map(check));
      }),
      { seed, numRuns: RUNS },
    );
    const rssAfter = server.rssBytes();

    const summary = {
      seed,
      requests: sent,
      refusedByClient,
      statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      codes: Object.fromEntries(codes),
      rssMB: { before: Math.round(rssBefore / 2 ** 20), after: Math.round(rssAfter / 2 ** 20) },
    };
    console.info(`fuzz: ${JSON.stringify(summary)}`);

    expect(sent).toBeGreaterThanOrEqual(10_000);
    // The generators reach every kind of answer, not just the first guard.
    for (const status of [200, 201, 204, 400, 403, 404, 405, 413, 415, 422]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(rssAfter - rssBefore).toBeLessThan(64 * 2 ** 20);
    const output = server.output();
    expect(output).not.toContain(TEST_API_KEY);
    expect(output).not.toMatch(/"event":"(process\.unhandled-rejection|http\.error)"|"code":"internal-error"|\n\s+at /);
  });

  it('survives malformed HTTP on the wire: a 400 or a hang-up, never a crash', { timeout: 120_000 }, async () => {
    const line = fc.oneof(printable(200), anyText(200), fc.constantFrom('GET / HTTP/1.1', 'POST /api/sessions HTTP/1.1', 'Content-Length: -1', 'Content-Length: 99999999999', 'Transfer-Encoding: chunked', 'Host:', ' folded', 'zz\r\n0\r\n\r\n'));
    const raw = fc.array(line, { minLength: 1, maxLength: 8 }).map((lines) => `${lines.join('\r\n')}\r\n\r\n`);
    await fc.assert(
      fc.asyncProperty(raw, async (bytes) => {
        const answer = await rawExchange(bytes);
        if (answer) expect(answer).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
      }),
      { seed, numRuns: 300 },
    );
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
