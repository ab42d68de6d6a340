/**
 * The widget's second file (dist/equos-avatar-live.<hash>.js): the conversation itself,
 * with livekit-client inside. The widget's script imports it at the first sign of intent.
 */
import type { ReactiveControllerHost } from 'lit';
import { createRtcAdapter } from './rtc/livekit-adapter.js';
import { SessionController } from './session/session-controller.js';
import type { LiveModule, SessionHostOptions, SessionPort } from './session/session-port.js';

/** Creates the conversation of one `<equos-avatar>`. */
export function createSession(host: ReactiveControllerHost & HTMLElement, options: SessionHostOptions): SessionPort {
  return new SessionController(host, { ...options, createAdapter: createRtcAdapter });
}

/** Checked at build time: this file is a `LiveModule`. */
export const liveModule: LiveModule = { createSession };
