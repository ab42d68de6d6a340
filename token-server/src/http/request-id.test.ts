/**
 * X-Request-Id over real HTTP: a client's id ends up in response headers, problem bodies and
 * every log line, so only a short, plain token is kept; anything else gets a fresh UUID.
 */
import { describe, expect, it } from 'vitest';
import { useStack } from '../../test/harness.js';

const stack = useStack();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The request id a request with `sent` as its X-Request-Id was answered (and logged) with. */
async function answeredId(sent: string, path = '/healthz'): Promise<string> {
  const response = await stack.request(path, { headers: { 'x-request-id': sent } });
  const id = response.headers.get('x-request-id')!;
  const logged = stack.logs.map((line) => JSON.parse(line) as { event?: string; request_id?: string }).filter((line) => line.event === 'http.request').at(-1);
  expect(logged?.request_id).toBe(id);
  return id;
}

describe('X-Request-Id', () => {
  it('keeps a short, safe id the client sent', async () => {
    for (const sent of ['a', 'trace-abc_123', '0f8fad5b-d9cb-469f-a165-70867728950e', 'Zm9vYmFy=', 'x'.repeat(64)]) {
      expect(await answeredId(sent), sent).toBe(sent);
    }
  });

  it('replaces an id longer than 64 characters with a generated one', async () => {
    for (const sent of ['x'.repeat(65), 'a'.repeat(255)]) expect(await answeredId(sent)).toMatch(UUID);
  });

  it('replaces an id with any other character with a generated one', async () => {
    for (const sent of ['a b', '<script>', '"quoted"', "it's", 'a.b', 'a;b', 'a/b', 'caf\u00e9', '%0d%0aSet-Cookie:x']) {
      expect(await answeredId(sent), sent).toMatch(UUID);
    }
  });

  it('puts the same id in the problem body of an error answer', async () => {
    const kept = await stack.request('/nope', { headers: { 'x-request-id': 'trace-404' } });
    expect(kept.json().request_id).toBe('trace-404');
    const replaced = await stack.request('/nope', { headers: { 'x-request-id': 'y'.repeat(65) } });
    expect(replaced.headers.get('x-request-id')).toMatch(UUID);
    expect(replaced.json().request_id).toBe(replaced.headers.get('x-request-id'));
  });
});
