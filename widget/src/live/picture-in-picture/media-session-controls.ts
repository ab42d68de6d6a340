/**
 * Hang-up and the microphone in the video element's Picture-in-Picture window. That window is
 * the browser's, with no buttons of ours; Chrome draws "hang up" and "toggle microphone" when
 * the page handles those Media Session actions (https://w3c.github.io/mediasession/#enumdef-mediasessionaction),
 * and shows the microphone's state from `setMicrophoneActive`.
 *
 * Each part is detected on its own: Firefox has a Media Session but refuses these actions
 * (`setActionHandler` throws a TypeError for an action it does not know).
 */

/** The call's actions, which TypeScript's DOM types do not list yet. */
type CallAction = 'hangup' | 'togglemicrophone';

/** The Media Session as far as a call uses it. */
interface CallMediaSession {
  setActionHandler(action: CallAction, handler: (() => void) | null): void;
  /** TypeScript's types say a promise; Chrome returns nothing. */
  setMicrophoneActive?(active: boolean): Promise<void> | undefined;
}

/** What the browser's buttons do. */
export interface MediaSessionHandlers {
  hangUp(): void;
  toggleMicrophone(): void;
}

/** The page's Media Session, if the browser has one. */
function mediaSession(): CallMediaSession | undefined {
  return 'mediaSession' in navigator ? (navigator.mediaSession as unknown as CallMediaSession) : undefined;
}

/** The call's Media Session actions, registered while the video floats; `release()` takes them back. */
export class MediaSessionControls {
  readonly #session = mediaSession();
  readonly #registered: CallAction[] = [];
  #microphoneActive: boolean | undefined;

  constructor(handlers: MediaSessionHandlers) {
    const actions: Array<[CallAction, () => void]> = [
      ['hangup', handlers.hangUp],
      ['togglemicrophone', handlers.toggleMicrophone],
    ];
    for (const [action, handler] of actions) {
      try {
        this.#session?.setActionHandler(action, handler);
        this.#registered.push(action);
      } catch {
        // Not an action this browser knows: its window simply has no such button.
      }
    }
  }

  /** Shows the microphone's state on the browser's button (when it changed). */
  setMicrophoneActive(active: boolean): void {
    if (!this.#registered.includes('togglemicrophone') || active === this.#microphoneActive) return;
    this.#microphoneActive = active;
    void Promise.resolve(this.#session?.setMicrophoneActive?.(active)).catch(() => {});
  }

  /** Unregisters the actions, so that no button of a call that is over stays behind. */
  release(): void {
    for (const action of this.#registered.splice(0)) this.#session?.setActionHandler(action, null);
  }
}
