/** An example of every state a call can be in (every end reason, every error cause), for the suites that go through them all. */
import type { CallSession, CallState, EndReason, ErrorCause } from '../src/call/machine.js';
import { INITIAL_LINK } from '../src/call/link.js';

/** The link of a joined call, as it starts. */
const link = INITIAL_LINK;

export const EXAMPLE_SESSION = { session_id: 'ses_x', avatar_name: 'Ava', started_at: new Date(0).toISOString() } as CallSession;
export const END_REASONS: EndReason[] = ['hangup', 'max-duration', 'avatar-left', 'closed-by-server', 'page-left', 'idle'];
/** Every cause, checked complete by the compiler (a missing one breaks the build of the suites). */
const ALL_CAUSES: Record<ErrorCause, true> = {
  misconfigured: true, 'microphone-denied': true, 'microphone-unavailable': true, 'server-unreachable': true, 'origin-not-allowed': true,
  'blocked-by-page': true, 'unknown-preset': true, 'equos-failed': true, busy: true, 'load-failed': true, 'unsupported-browser': true,
  'avatar-timeout': true, 'connection-lost': true,
};
export const ERROR_CAUSES = Object.keys(ALL_CAUSES) as ErrorCause[];

const session = EXAMPLE_SESSION;
export const EXAMPLE_STATES: CallState[] = [
  { name: 'idle' },
  { name: 'consent', version: 'v1' },
  { name: 'starting' },
  { name: 'connecting', session },
  { name: 'waiting-for-avatar', session, link },
  { name: 'avatar-late', session, link, endsAt: 15_000 },
  { name: 'live', session, link, reconnecting: false, avatarSpeaking: false },
  { name: 'live', session, link, reconnecting: false, avatarSpeaking: true },
  { name: 'live', session, link, reconnecting: true, avatarSpeaking: false },
  { name: 'avatar-away', session, link },
  { name: 'idle-check', session, link, endsAt: 15_000 },
  { name: 'ending', session, outcome: { type: 'ended', reason: 'hangup' } },
  { name: 'ending', session, outcome: { type: 'error', cause: 'avatar-timeout' } },
  ...END_REASONS.map((reason): CallState => ({ name: 'ended', reason, durationS: 125 })),
  ...ERROR_CAUSES.map((cause): CallState => ({ name: 'error', cause })),
];
