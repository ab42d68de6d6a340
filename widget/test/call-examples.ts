/** An example of every state a call can be in (every end reason, every error cause), for the suites that go through them all. */
import type { CallSession, CallState, EndReason, ErrorCause } from '../src/call/machine.js';

export const EXAMPLE_SESSION = { session_id: 'ses_x', avatar_name: 'Ava', started_at: new Date(0).toISOString() } as CallSession;
export const END_REASONS: EndReason[] = ['hangup', 'max-duration', 'avatar-left', 'closed-by-server', 'page-left'];
export const ERROR_CAUSES: ErrorCause[] = [
  'misconfigured', 'microphone-denied', 'microphone-unavailable', 'server-unreachable', 'origin-not-allowed', 'unknown-preset',
  'equos-failed', 'busy', 'load-failed', 'unsupported-browser', 'avatar-timeout', 'connection-lost',
];

const session = EXAMPLE_SESSION;
export const EXAMPLE_STATES: CallState[] = [
  { name: 'idle' },
  { name: 'starting' },
  { name: 'connecting', session },
  { name: 'waiting-for-avatar', session },
  { name: 'live', session, reconnecting: false, avatarSpeaking: false },
  { name: 'live', session, reconnecting: false, avatarSpeaking: true },
  { name: 'live', session, reconnecting: true, avatarSpeaking: false },
  { name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } },
  { name: 'ending', session, outcome: { type: 'error', cause: 'avatar-timeout' } },
  ...END_REASONS.map((reason): CallState => ({ name: 'ended', reason, durationS: 125 })),
  ...ERROR_CAUSES.map((cause): CallState => ({ name: 'error', cause })),
];
