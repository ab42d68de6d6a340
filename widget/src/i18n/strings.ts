/**
 * Every sentence the widget shows or announces. A locale implements this interface, so a
 * missing key is a compile error rather than an English word in a French page.
 */
import type { EndReason, ErrorCause } from '../call/machine.js';

/** The widget's words in one language. */
export interface Strings {
  talkTo(name: string): string;
  backToConversation(name: string): string;
  dialogLabel(name: string): string;
  intro(name: string): string;
  start: string;
  startAgain: string;
  tryAgain: string;
  hangUp: string;
  minimize: string;
  microphone: string;
  tapForSound(name: string): string;
  status: {
    idle: string;
    starting: string;
    connecting: string;
    waiting(name: string): string;
    listening: string;
    speaking(name: string): string;
    /** Live, with the visitor's microphone off. */
    muted: string;
    reconnecting: string;
    ending: string;
    ended: string;
    error: string;
  };
  ended: Record<EndReason, (name: string, duration: string) => string>;
  errors: Record<ErrorCause, (name: string) => string>;
}

/** Formats seconds as m:ss. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
