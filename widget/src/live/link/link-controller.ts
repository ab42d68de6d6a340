/**
 * The link of a call as the visitor sees it: the quality indicator, and the note that offers
 * audio only on a weak link (or the video back, saying why it is off), read politely as it
 * appears; the video coming back by itself is said too. It reads the link from the call's
 * state (../../call/link.ts) and sends the visitor's choice as an event; the call runner
 * carries out what the link implies.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Link } from '../../call/link.js';
import type { CallPort } from '../../call/live-port.js';
import type { ConversationStrings } from '../../i18n/strings.js';
import { LinkView, type LinkModel } from './link-view.js';

/** What the indicator is called for each quality LiveKit reports (`unknown` shows no indicator). */
const LABEL = { excellent: 'qualityExcellent', good: 'qualityGood', poor: 'qualityPoor', lost: 'qualityLost', unknown: 'qualityGood' } as const;

/** How long "the video is back" stays under the stage. */
const RECOVERED_NOTE_MS = 5000;

/** What the link needs from its call. */
export interface LinkDeps {
  call: CallPort;
  strings(): ConversationStrings;
  avatarName(): string;
}

/** The link's side of one `<equos-avatar>`'s calls. */
export class LinkController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #deps: LinkDeps;
  readonly #view: LinkView;
  /** Said once the link has come back to video by itself, until the link next changes. */
  #recovered = false;
  #shown: Link | undefined;
  #recoveredTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, deps: LinkDeps) {
    this.#host = host;
    this.#deps = deps;
    this.#view = new LinkView(() => {
      const state = deps.call.state;
      if ('link' in state) deps.call.dispatch({ type: 'audio-only', on: state.link.name === 'video' || state.link.name === 'video-weak' });
    });
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#recoveredTimer);
  }

  hostUpdated(): void {
    const root = this.#host.shadowRoot;
    if (!root || !this.#view.mountIn(root)) return;
    const state = this.#deps.call.state;
    const link = 'link' in state ? state.link : undefined;
    if (link !== this.#shown) {
      this.#recovered = !!link && !!this.#shown && link.name === 'video' && this.#shown.name === 'audio-fallback';
      clearTimeout(this.#recoveredTimer);
      if (this.#recovered) {
        this.#recoveredTimer = setTimeout(() => {
          this.#recovered = false;
          this.#host.requestUpdate();
        }, RECOVERED_NOTE_MS);
      }
    }
    this.#shown = link;
    const strings = this.#deps.strings();
    this.#view.render(link && { quality: link.quality, label: strings[LABEL[link.quality]], note: this.#note(link, strings) });
  }

  /** The note under the stage for `link`: why the video is off or may be, and what to do. */
  #note(link: Link, strings: ConversationStrings): LinkModel['note'] {
    const name = this.#deps.avatarName();
    switch (link.name) {
      case 'video':
        // Back by itself: said in the note's own region, with nothing to press.
        return this.#recovered ? { text: strings.videoBack, offer: '' } : undefined;
      case 'video-weak':
        return { text: strings.weakConnection, offer: strings.switchToAudio };
      case 'audio-only':
        return { text: strings.audioOnlyChosen(name), offer: strings.switchToVideo };
      case 'audio-fallback':
        return { text: strings.audioFallback(name), offer: strings.switchToVideo };
    }
  }
}
