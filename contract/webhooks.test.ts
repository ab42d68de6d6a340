import { describe, expect, it } from 'vitest';
import { readWebhookEvent, type SessionEndedEvent, type SessionStartedEvent } from './webhooks.js';

const started: SessionStartedEvent = {
  type: 'session.started',
  timestamp: '2027-03-14T10:00:01.000Z',
  data: {
    session_id: 'ses_1',
    preset: 'sales',
    origin: null,
    started_at: '2027-03-14T10:00:00.870Z',
    deadline_at: '2027-03-14T10:02:00.870Z',
    consent: { version: '2026-11', accepted_at: '2027-03-14T09:59:58.000Z' },
  },
};
const ended: SessionEndedEvent = {
  type: 'session.ended',
  timestamp: '2027-03-14T10:01:36.000Z',
  data: { ...started.data, consent: null, ended_at: '2027-03-14T10:01:35.120Z', duration_seconds: 94.25, end_cause: 'visitor', stop_attempts: 0, unknown_at_equos: false },
};

describe('readWebhookEvent', () => {
  it('reads both events', () => {
    expect(readWebhookEvent(started)).toEqual(started);
    expect(readWebhookEvent(ended)).toEqual(ended);
    // A start's fields are not an end.
    expect(readWebhookEvent({ ...started, type: 'session.ended' })).toBeUndefined();
  });

  it.each([
    ['another type', { ...started, type: 'session.paused' }],
    ['no timestamp', { ...started, timestamp: undefined }],
    ['no data', { type: 'session.started', timestamp: started.timestamp }],
    ['an empty session id', { ...started, data: { ...started.data, session_id: '' } }],
    ['a bad time', { ...started, data: { ...started.data, started_at: 'yesterday' } }],
    ['a half consent', { ...started, data: { ...started.data, consent: { version: '2026-11' } } }],
    ['an unknown cause', { ...ended, data: { ...ended.data, end_cause: 'magic' } }],
    ['a negative duration', { ...ended, data: { ...ended.data, duration_seconds: -1 } }],
    ['no unknown_at_equos', { ...ended, data: { ...ended.data, unknown_at_equos: undefined } }],
    ['not an object', 'session.started'],
  ])('refuses %s', (_what, body) => {
    expect(readWebhookEvent(body)).toBeUndefined();
  });
});
