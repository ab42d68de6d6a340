/**
 * Picture-in-Picture of a call (issue 14, item 6: "keep talking while browsing"): the avatar's
 * video in a floating window, so the conversation goes on while the visitor reads the page or
 * another tab. Document Picture-in-Picture where the browser has it (the video with the name,
 * the status, the microphone, hang-up, and "Still there?"'s answer), else the video element's
 * own (hang-up and the microphone through the Media Session).
 *
 * The toggle shows while the avatar's video is on the stage and the browser can float it. The
 * window closes by itself when the call leaves the states that show video (hang-up, the end,
 * an error, the avatar away, audio only) and when the video changes; the runner closes it too
 * when it lets go of a call, which removing the element does (../call-runner.ts). Hang-up in
 * the window is the panel's: the call ends, and the paid session is stopped once.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallPort } from '../../call/live-port.js';
import { traitsOf } from '../../call/state-table.js';
import { EquosPictureInPictureEvent } from '../../events.js';
import { conversationStrings, type ConversationWordsHost } from '../conversation/strings.js';
import { FloatingWindow } from './floating-window.js';
import { MediaSessionControls } from './media-session-controls.js';
import { PanelControls } from './panel-controls.js';
import { THEME_PROPERTIES } from './picture-in-picture.styles.js';
import { documentPictureInPicture, floatingKind, type FloatingKind } from './support.js';

/** What Picture-in-Picture needs from its call. */
export interface PictureInPictureDeps {
  call: CallPort;
  /** The avatar's video as the runner holds it, also while it plays in a floating window. */
  video(): HTMLVideoElement | null;
  avatarName(): string;
  microphoneEnabled(): boolean;
  setMicrophoneEnabled(enabled: boolean): void;
}

/** The floating window's width in CSS pixels; its height follows the video's shape. */
const WINDOW_WIDTH = 400;
/** The window's header and controls, around the video. */
const WINDOW_CHROME_HEIGHT = 130;

/** A floating window that is open. */
type Floating =
  | { kind: 'document'; video: HTMLVideoElement; window: FloatingWindow }
  | { kind: 'video'; video: HTMLVideoElement; session: MediaSessionControls; onLeave: () => void };

/** Picture-in-Picture of one `<equos-avatar>`'s calls. */
export class PictureInPictureController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #deps: PictureInPictureDeps;
  readonly #controls = new PanelControls(() => this.#toggle());
  #floating: Floating | undefined;
  /** A request for a window is under way (a second click must not open another). */
  #opening = false;

  constructor(host: ReactiveControllerHost & HTMLElement, deps: PictureInPictureDeps) {
    this.#host = host;
    this.#deps = deps;
    host.addController(this);
  }

  /**
   * The video plays in a floating document: the panel must not show it (the runner then
   * gives the panel no video, see ../call-runner.ts `videoElement`).
   */
  get holdsVideo(): boolean {
    return this.#floating?.kind === 'document';
  }

  hostUpdated(): void {
    const state = this.#deps.call.state;
    const traits = traitsOf(state);
    const video = this.#deps.video();
    const floating = this.#floating;
    if (floating && !this.#shows(floating.video)) this.close();
    const root = this.#host.shadowRoot;
    if (!root) return;
    const strings = conversationStrings((this.#host as ConversationWordsHost).conversationStrings);
    const name = this.#deps.avatarName();
    this.#controls.render(root, {
      toggle: !!this.#floating || (!!video && this.#shows(video) && floatingKind(video) !== null),
      open: !!this.#floating,
      label: strings.pictureInPicture,
      note: this.holdsVideo ? strings.inFloatingWindow(name) : '',
    });
    if (this.#floating?.kind === 'document') {
      // The window says what the panel says, in the same words (the page's own included).
      this.#floating.window.render({
        name,
        status: root.querySelector('[part~="status"]')?.textContent?.trim() ?? '',
        microphoneOn: this.#deps.microphoneEnabled(),
        microphoneUsable: traits.microphone,
        microphoneLabel: labelOf(root, 'mic-button'),
        hangUpUsable: traits.canHangUp,
        hangUpLabel: labelOf(root, 'hangup-button'),
        continueLabel: traits.continueOffered ? labelOf(root, 'continue-button') : '',
      });
    } else if (this.#floating?.kind === 'video') {
      this.#floating.session.setMicrophoneActive(this.#deps.microphoneEnabled());
    }
  }

  /** Closes the floating window, if one is open (the video comes back to the panel). */
  close(): void {
    const floating = this.#floating;
    if (!floating) return;
    if (floating.kind === 'document') floating.window.close();
    else void document.exitPictureInPicture().catch(() => {});
    this.#closed(floating);
  }

  /** Whether `video` is the avatar's video of a state that shows it. */
  #shows(video: HTMLVideoElement): boolean {
    return traitsOf(this.#deps.call.state).video && this.#deps.video() === video && this.#host.isConnected;
  }

  #toggle(): void {
    if (this.#floating) return this.close();
    const video = this.#deps.video();
    if (this.#opening || !video || !this.#shows(video)) return;
    const kind = floatingKind(video);
    if (!kind) return;
    this.#opening = true;
    // Asked for at once, inside the visitor's click: both requests need its activation.
    const opened = kind === 'document' ? this.#openDocument(video) : this.#openVideo(video);
    void opened.finally(() => (this.#opening = false));
  }

  async #openDocument(video: HTMLVideoElement): Promise<void> {
    const ratio = video.videoWidth && video.videoHeight ? video.videoHeight / video.videoWidth : 9 / 16;
    let opened: Window;
    try {
      opened = await documentPictureInPicture()!.requestWindow({ width: WINDOW_WIDTH, height: Math.round(WINDOW_WIDTH * ratio) + WINDOW_CHROME_HEIGHT });
    } catch {
      return; // Refused (no activation, or the page's Permissions-Policy): the video stays in the panel.
    }
    if (!this.#shows(video)) {
      opened.close(); // The call moved on while the window opened.
      return;
    }
    const panel = this.#host.shadowRoot?.querySelector('.panel');
    const style = panel ? getComputedStyle(panel) : undefined;
    const view = new FloatingWindow(
      opened,
      {
        direction: style?.direction === 'rtl' ? 'rtl' : 'ltr',
        theme: THEME_PROPERTIES.map((name) => [name, style?.getPropertyValue(name).trim() ?? ''] as const).filter(([, value]) => value),
      },
      {
        onToggleMicrophone: () => this.#deps.setMicrophoneEnabled(!this.#deps.microphoneEnabled()),
        onHangUp: () => this.#deps.call.dispatch({ type: 'hangup' }),
        onContinue: () => this.#deps.call.dispatch({ type: 'still-here' }),
      },
    );
    const floating: Floating = { kind: 'document', video, window: view };
    this.#floating = floating;
    view.show(video);
    // The visitor closed the window (or the browser did, with the page): the video comes back.
    opened.addEventListener('pagehide', () => this.#closed(floating), { once: true });
    this.#opened('document');
  }

  async #openVideo(video: HTMLVideoElement): Promise<void> {
    try {
      await video.requestPictureInPicture();
    } catch {
      return; // Refused (no activation, no frame yet): the video stays as it is.
    }
    if (!this.#shows(video)) {
      void document.exitPictureInPicture().catch(() => {}); // The call moved on meanwhile.
      return;
    }
    const onLeave = () => this.#closed(floating);
    const floating: Floating = {
      kind: 'video',
      video,
      onLeave,
      session: new MediaSessionControls({
        hangUp: () => this.#deps.call.dispatch({ type: 'hangup' }),
        toggleMicrophone: () => this.#deps.setMicrophoneEnabled(!this.#deps.microphoneEnabled()),
      }),
    };
    this.#floating = floating;
    video.addEventListener('leavepictureinpicture', onLeave, { once: true });
    this.#opened('video');
  }

  #opened(kind: FloatingKind): void {
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new EquosPictureInPictureEvent({ open: true, kind }));
  }

  /** The window `floating` has closed (ours to close, or the visitor's, or the browser's): once. */
  #closed(floating: Floating): void {
    if (this.#floating !== floating) return;
    this.#floating = undefined;
    if (floating.kind === 'video') {
      floating.session.release();
      floating.video.removeEventListener('leavepictureinpicture', floating.onLeave);
    }
    // A floating document's video: the panel takes it back as it renders (the runner shows it
    // again), and it plays on (moved, not removed: no pause).
    this.#host.requestUpdate();
    this.#host.dispatchEvent(new EquosPictureInPictureEvent({ open: false, kind: floating.kind }));
  }
}

/** The accessible name of the panel's control `part` (its label, or its words when it shows them). */
function labelOf(root: ParentNode, part: string): string {
  const control = root.querySelector(`[part~="${part}"]`);
  return control?.getAttribute('aria-label') ?? control?.textContent?.trim() ?? '';
}
