import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes one JSON object per line with time, level and event', () => {
    const lines: string[] = [];
    createLogger({ write: (line) => lines.push(line), now: () => 0 }).info('session.created', { session_id: 's' });
    expect(JSON.parse(lines[0]!)).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'info', event: 'session.created', session_id: 's' });
  });

  it('redacts every secret, also JSON-escaped or URL-encoded', () => {
    const secret = 'sk_"live"/key+1';
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line), secrets: [secret] });
    logger.error('x', { raw: secret, encoded: encodeURIComponent(secret), nested: `before ${secret} after` });
    expect(lines[0]).not.toContain('live');
    expect(lines[0]!.match(/\[redacted\]/g)).toHaveLength(3);
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line), level: 'warn' });
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(['c']);
  });
});
