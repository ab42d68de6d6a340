/**
 * Spans with a real OpenTelemetry SDK registered in the process (as a host's `--import` setup
 * registers one), over real HTTP in front of the Equos double: one SERVER span per request
 * after the HTTP conventions, the Equos calls as its CLIENT children, failures marked, and no
 * secret anywhere in them.
 */
import { readFileSync } from 'node:fs';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_API_KEY, stopInit, useStack } from '../../test/harness.js';
import { createPrometheusMetrics } from './prometheus.js';
import { TRACER_NAME, TRACER_VERSION } from './tracing.js';

const TOKEN = 'tracing-metrics-token-9d3b7f1a5c2e8a4d6b0f3c7e';
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

const stack = useStack({ config: { metricsToken: TOKEN }, deps: { metrics: createPrometheusMetrics() } });
const json = { 'content-type': 'application/json' };

const spans = () => exporter.getFinishedSpans();
const named = (name: string) => spans().filter((span) => span.name === name);
const childrenOf = (parent: ReadableSpan) => spans().filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('request and Equos spans', () => {
  it('makes one server span per request, named by its route, with the Equos create as its child', async () => {
    const response = await stack.request('/api/sessions', { method: 'POST', headers: { ...json, 'x-request-id': 'trace-me-1' }, body: '{}' });
    expect(response.status).toBe(201);
    const [server, ...others] = named('POST /api/sessions');
    expect(others).toEqual([]);
    expect(server!.kind).toBe(SpanKind.SERVER);
    expect(server!.attributes).toEqual({
      'http.request.method': 'POST',
      'url.path': '/api/sessions',
      'http.route': '/api/sessions',
      'http.response.status_code': 201,
      'equos_avatar.request_id': 'trace-me-1',
    });
    expect(server!.status.code).toBe(SpanStatusCode.UNSET);
    expect(server!.instrumentationScope).toMatchObject({ name: TRACER_NAME, version: TRACER_VERSION });
    const [create] = childrenOf(server!);
    expect([create!.name, create!.kind, create!.attributes]).toEqual(['equos create', SpanKind.CLIENT, { 'equos.call': 'create', 'equos.attempts': 1, 'equos.outcome': 'ok' }]);
    expect(create!.spanContext().traceId).toBe(server!.spanContext().traceId);

    const { session_id: id, stop_token: token } = response.json<{ session_id: string; stop_token: string }>();
    expect((await stack.request(`/api/sessions/${id}/stop`, stopInit(token))).status).toBe(200);
    const [stop] = named('POST /api/sessions/:id/stop');
    expect(stop!.attributes).toMatchObject({ 'http.route': '/api/sessions/:id/stop', 'url.path': `/api/sessions/${id}/stop`, 'http.response.status_code': 200 });
    expect(childrenOf(stop!).map((span) => span.name)).toEqual(['equos stop']);
  });

  it('marks a failed Equos call and the 5xx it led to as errors, with the attempts made', async () => {
    stack.equos.faults.inject('create', { kind: 'status', status: 503 });
    expect((await stack.request('/api/sessions', { method: 'POST', headers: json, body: '{}' })).status).toBe(502);
    const [server] = named('POST /api/sessions');
    expect([server!.status.code, server!.attributes['http.response.status_code'], server!.attributes['error.type']]).toEqual([SpanStatusCode.ERROR, 502, '502']);
    const [create] = childrenOf(server!);
    expect(create!.status.code).toBe(SpanStatusCode.ERROR);
    expect(create!.attributes).toEqual({ 'equos.call': 'create', 'equos.attempts': 1, 'equos.outcome': 'http-5xx', 'error.type': 'http-5xx', 'http.response.status_code': 503 });

    // A stop retried twice before Equos confirms: one span, three attempts.
    const session = await stack.createSession({});
    stack.equos.faults.inject('stop', { kind: 'status', status: 503 }, { times: 2 });
    exporter.reset();
    expect((await stack.request(`/api/sessions/${session.session_id}/stop`, stopInit(session.stop_token))).status).toBe(200);
    expect(named('equos stop').map((span) => span.attributes)).toEqual([{ 'equos.call': 'stop', 'equos.attempts': 3, 'equos.outcome': 'ok' }]);
  });

  it('leaves 4xx spans unset, names unmatched requests by their method only, and spans the reaper’s calls on their own', async () => {
    expect((await stack.request('/api/sessions', { method: 'POST', headers: json, body: '{"agent_id":"x"}' })).status).toBe(422);
    expect((await stack.request('/no/such/page', { origin: null })).status).toBe(404);
    expect((await stack.request('/api/sessions', { method: 'GET' })).status).toBe(405);
    const byName = Object.fromEntries(spans().map((span) => [`${span.name} ${span.attributes['http.response.status_code']}`, span]));
    expect(Object.keys(byName).sort()).toEqual(['GET /api/sessions 405', 'GET 404', 'POST /api/sessions 422']);
    expect(byName['GET 404']!.attributes['http.route']).toBeUndefined();
    for (const span of spans()) expect(span.status.code).toBe(SpanStatusCode.UNSET);

    // Outside any request: a root client span.
    exporter.reset();
    await stack.server.sweepOnce();
    const [list] = named('equos list');
    expect([list!.kind, list!.parentSpanContext]).toEqual([SpanKind.CLIENT, undefined]);
  });

  it('puts no secret in any span: not the API key, not the metrics token, no header', async () => {
    await stack.createSession({});
    expect((await stack.request('/metrics', { origin: null, headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await stack.request('/metrics', { origin: null, headers: { authorization: `Bearer ${TOKEN.slice(1)}` } })).status).toBe(401);
    expect(spans().length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(spans().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, links: span.links, status: span.status })));
    for (const secret of [TEST_API_KEY, TOKEN, TOKEN.slice(1)]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/authorization|x-api-key/i);
  });

  it('names the instrumentation with the package’s version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(TRACER_VERSION).toBe(version);
  });
});
