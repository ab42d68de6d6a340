/**
 * The browser side of the `sandbox` test command: typed helpers for browser suites.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { RoomReport } from '../control/room-report.js';
import type { CreatedTestSession, SandboxCommand } from './sandbox-command-types.js';

async function run<T>(command: SandboxCommand): Promise<T> {
  return (await executeServerCommand('sandbox', command)) as T;
}

/** Starts an Equos session in the sandbox (optionally with a scenario) and returns what a browser needs to join. */
export const createSession = (options: Omit<Extract<SandboxCommand, { action: 'create-session' }>, 'action'> = {}) =>
  run<CreatedTestSession>({ action: 'create-session', ...options });

/** Stops a session, as the token server does on hang-up. */
export const stopSession = (sessionId: string) => run<{ ok: true }>({ action: 'stop-session', sessionId });

/** The server's view of a session's room, or null once it has ended. */
export const roomReport = (sessionId: string) => run<RoomReport | null>({ action: 'room', sessionId });

/** The room report fetched over HTTP from the control API (`GET /__sandbox/rooms/:name`), or null on 404. */
export const roomReportOverHttp = (sessionId: string) => run<RoomReport | null>({ action: 'room-http', sessionId });

/** Sends user data from the session's avatar, now or when the next visitor joins (before its data channels open). */
export const sendAvatarData = (options: Omit<Extract<SandboxCommand, { action: 'avatar-data' }>, 'action'>) =>
  run<{ sent: boolean }>({ action: 'avatar-data', ...options });

/** Injects a fault or event into a session's room. */
export const act = (sessionId: string, act: { type: string; ms?: number; quality?: string }) => run<{ ok: true }>({ action: 'act', sessionId, act });

/** Mints a LiveKit token, possibly one the server must refuse. */
export const mintToken = (options: Omit<Extract<SandboxCommand, { action: 'mint-token' }>, 'action'>) =>
  run<{ token: string }>({ action: 'mint-token', ...options });

/** Plans the next session. */
export const plan = (scenario: unknown) => run<{ ok: true }>({ action: 'plan', scenario });

/** Calls of a kind that reached the Equos double. */
export const equosCalls = async (route: 'create' | 'stop', sessionId?: string) =>
  (await run<{ count: number }>({ action: 'equos-calls', route, ...(sessionId ? { sessionId } : {}) })).count;

/** Makes the next calls to the Equos double fail. */
export const equosFault = (route: 'create' | 'stop', fault: unknown, times?: number) =>
  run<{ ok: true }>({ action: 'equos-fault', route, fault, ...(times ? { times } : {}) });

/** Polls `read` until `accept` holds or `timeoutMs` passes. */
export async function waitFor<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: T;
  do {
    last = await read();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (performance.now() < deadline);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
}
