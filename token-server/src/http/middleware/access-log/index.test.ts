import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../logger.js';
import { accessLog } from './index.js';

function appLogging() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ write: (line) => lines.push(JSON.parse(line)) });
  let tick = 0;
  const app = new Hono();
  app.use(requestId(), accessLog({ logger, now: () => (tick += 12.34) }));
  app.get('/ok', (c) => c.text('ok'));
  app.get('/boom', (c) => c.text('no', 503));
  return { app, lines };
}

describe('accessLog', () => {
  it('logs method, path without the query string, status, duration and request id', async () => {
    const { app, lines } = appLogging();
    const response = await app.request('/ok?stop_token=v1.secret', { headers: { 'x-request-id': 'req-1' } });
    expect(response.status).toBe(200);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', event: 'http.request', request_id: 'req-1', method: 'GET', path: '/ok', status: 200, duration_ms: 12.3 }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('logs server errors at error level and bounds hostile paths', async () => {
    const { app, lines } = appLogging();
    await app.request('/boom');
    await app.request(`/${'a'.repeat(5000)}`);
    expect(lines[0]).toMatchObject({ level: 'error', status: 503 });
    expect((lines[1]!.path as string).length).toBe(200);
  });
});
