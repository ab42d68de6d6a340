/**
 * The messages of the `sandbox` test command, shared by the browser side and the Node side
 * (so this file imports nothing platform-specific).
 */

/** A request from a browser test. */
export type SandboxCommand =
  | { action: 'create-session'; scenario?: unknown; maxDuration?: number; visitorName?: string }
  | { action: 'stop-session'; sessionId: string }
  | { action: 'room'; sessionId: string }
  | { action: 'act'; sessionId: string; act: unknown }
  | { action: 'mint-token'; room: string; identity: string; expired?: boolean; wrongSecret?: boolean }
  /** Plans the next session (see control/scenarios.ts). */
  | { action: 'plan'; scenario: unknown }
  /** How many calls of a kind reached the Equos double (optionally for one session). */
  | { action: 'equos-calls'; route: 'create' | 'stop'; sessionId?: string }
  /** Makes the next calls to the Equos double fail. */
  | { action: 'equos-fault'; route: 'create' | 'stop'; fault: unknown; times?: number };

/** A session as a test needs it. */
export interface CreatedTestSession {
  sessionId: string;
  serverUrl: string;
  token: string;
  avatarIdentity: string;
}
