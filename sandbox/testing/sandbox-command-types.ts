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
  /** Mints a LiveKit token (with every grant unless `canPublishData` is false). */
  | { action: 'mint-token'; room: string; identity: string; expired?: boolean; wrongSecret?: boolean; canPublishData?: boolean }
  /**
   * Sends user data (UTF-8 `text`) from the session's avatar, now or when the next visitor
   * joins (before its data channels open).
   */
  | {
      action: 'avatar-data';
      sessionId: string;
      text: string;
      topic?: string;
      reliable?: boolean;
      destinationIdentities?: string[];
      when?: 'now' | 'next-visitor-join';
    }
  /** The room report as the control API serves it (`GET /__sandbox/rooms/:name`), null on 404. */
  | { action: 'room-http'; sessionId: string }
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
