/**
 * The widget's second file (dist/equos-avatar-live.<hash>.js): what a call does, with
 * livekit-client inside. The widget's script imports it at the first sign of intent.
 */
import type { ReactiveControllerHost } from 'lit';
import type { CallOptions, CallPort, CallRunner as CallRunnerPort, LiveModule } from '../call/live-port.js';
import { createRtcAdapter } from '../rtc/livekit-adapter.js';
import { CallRunner } from './call-runner.js';

/** Creates the runner of one `<equos-avatar>`'s call. */
export function createRunner(host: ReactiveControllerHost & HTMLElement, call: CallPort, options: CallOptions): CallRunnerPort {
  return new CallRunner(host, call, { ...options, createAdapter: createRtcAdapter });
}

/** Checked at build time: this file is a `LiveModule`. */
export const liveModule: LiveModule = { createRunner };
