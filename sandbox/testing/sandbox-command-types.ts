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
  | { action: 'mint-token'; room: string; identity: string; expired?: boolean; wrongSecret?: boolean };

/** A session as a test needs it. */
export interface CreatedTestSession {
  sessionId: string;
  serverUrl: string;
  token: string;
  avatarIdentity: string;
}
