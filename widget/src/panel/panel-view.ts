/**
 * The conversation panel: header (face, name, status, minimise), the stage (the avatar's
 * live video, or its picture with a message), the controls of the current state, and the
 * polite live region that announces each state. What only a call shows over the stage
 * (captions, the speaking and time badges) and below it (the transcript, the text box) comes
 * with the call's file (../live/conversation/).
 */
import { html, nothing } from 'lit';
import type { CallState } from '../call/machine.js';
import { traitsOf } from '../call/state-table.js';
import type { Strings } from '../i18n/strings.js';
import { minimizeIcon } from '../view/icons.js';
import { renderPicture, type Picture } from '../view/picture.js';
import type { Description } from './describe.js';
import { hangUpIcon, microphoneIcon, microphoneOffIcon, soundIcon } from './icons.js';

/** What the panel shows and does. */
export interface PanelView {
  strings: Strings;
  name: string;
  picture: Picture | undefined;
  state: CallState;
  description: Description;
  open: boolean;
  floating: boolean;
  video: HTMLVideoElement | null;
  microphoneEnabled: boolean;
  audioBlocked: boolean;
  /** Set when the widget is misconfigured: why, for the site owner. */
  problem: string | undefined;
  /** The site's privacy page, linked from its disclosure (`consent`). */
  privacyUrl: string | undefined;
  onStart: () => void;
  /** Agrees to the site's disclosure, and starts (`consent`). */
  onAgree: () => void;
  onDecline: () => void;
  onHangUp: () => void;
  /** Answers "Still there?" (`idle-check`). */
  onContinue: () => void;
  onMinimize: () => void;
  onToggleMicrophone: () => void;
  onResumeAudio: () => void;
  onKeydown: (event: KeyboardEvent) => void;
  /** A sign the visitor may start (pointer over, focus in): the call's file can be fetched. */
  onIntent: () => void;
}

/** Renders the panel and its live region. */
export function renderPanel(view: PanelView) {
  const { strings, description } = view;
  return html`<section
    id="panel"
    class="panel"
    part="panel"
    role="dialog"
    tabindex="-1"
    aria-label=${strings.dialogLabel(view.name)}
    ?hidden=${view.floating && !view.open}
    @keydown=${view.onKeydown}
    @pointerenter=${view.onIntent}
    @focusin=${view.onIntent}
    @touchstart=${view.onIntent}
  >
    <div class="panel__header">
      ${view.picture ? renderPicture(view.picture, 'panel__avatar', 40) : nothing}
      <div class="panel__title">
        <p class="panel__name">${view.name}</p>
        <p class="status status--${description.tone}" part="status">
          <span class="status__dot" aria-hidden="true"></span><span dir="auto">${description.status}</span>
        </p>
      </div>
      ${view.floating
        ? html`<button class="icon-button" part="minimize-button" type="button" aria-label=${strings.minimize} @click=${view.onMinimize}>
            ${minimizeIcon}
          </button>`
        : nothing}
    </div>
    <div class="stage" part="stage">${renderStage(view)}</div>
    <div class="controls" part="controls">${renderControls(view)}</div>
  </section>
  <div class="sr-only" role="status" aria-live="polite">${description.announcement}</div>`;
}

function renderStage(view: PanelView) {
  const { state, strings, description } = view;
  const traits = traitsOf(state);
  const showVideo = view.video && traits.video;
  if (showVideo) view.video!.setAttribute('part', 'video');
  return html`
    ${showVideo
      ? view.video
      : view.picture
        ? renderPicture(view.picture, `stage__poster ${traits.busy ? 'stage__poster--waiting' : ''}`, 180)
        : nothing}
    ${traits.intro ? html`<div class="intro"><p dir="auto">${strings.intro(view.name)}</p></div>` : nothing}
    ${traits.consent && !view.problem ? renderConsent(view) : view.problem
      ? html`<p class="stage__message stage__message--error" part="message" dir="auto">${strings.errors.misconfigured(view.name)} ${view.problem}</p>`
      : description.message
        ? html`<p class="stage__message ${description.tone === 'error' ? 'stage__message--error' : ''}" part="message" dir="auto">${description.message}${description.countdown
            ? html` <span class="stage__countdown">${description.countdown}</span>`
            : nothing}</p>`
        : nothing}
  `;
}

/** The site's disclosure, over the stage, before the first call: labelled for the dialog it is part of. */
function renderConsent(view: PanelView) {
  const { consent } = view.strings;
  return html`<div class="consent" part="consent" role="group" aria-labelledby="consent-title">
    <p class="consent__title" id="consent-title" dir="auto">${consent.title}</p>
    <p dir="auto">${consent.text(view.name)}</p>
    ${view.privacyUrl
      ? html`<a class="consent__link" part="privacy-link" href=${view.privacyUrl} target="_blank" rel="noopener noreferrer">${consent.privacy}</a>`
      : nothing}
  </div>`;
}

function renderControls(view: PanelView) {
  const { strings } = view;
  const { start, canHangUp, microphone, hangUpLabelled, continueOffered, consent } = traitsOf(view.state);
  if (view.problem) return nothing;
  if (consent) {
    return html`<button class="secondary" part="consent-decline-button" type="button" @click=${view.onDecline}>${strings.consent.decline}</button>
      <button class="primary" part="consent-button" type="button" @click=${view.onAgree}>${strings.consent.accept}</button>`;
  }
  if (start) return html`<button class="primary" part="start-button" type="button" @click=${view.onStart}>${strings[start]}</button>`;
  return html`
    ${continueOffered ? html`<button class="primary" part="continue-button" type="button" @click=${view.onContinue}>${strings.continue}</button>` : nothing}
    ${view.audioBlocked
      ? html`<button class="round" part="sound-button" type="button" aria-label=${strings.tapForSound(view.name)} @click=${view.onResumeAudio}>${soundIcon}</button>`
      : nothing}
    <button
      class="round round--mic"
      part="mic-button"
      type="button"
      aria-pressed=${view.microphoneEnabled ? 'true' : 'false'}
      aria-label=${strings.microphone}
      ?disabled=${!microphone}
      @click=${view.onToggleMicrophone}
    >
      ${view.microphoneEnabled ? microphoneIcon : microphoneOffIcon}
    </button>
    <button
      class="round round--hangup ${hangUpLabelled ? 'round--labelled' : ''}"
      part="hangup-button"
      type="button"
      aria-label=${hangUpLabelled ? nothing : strings.hangUp}
      ?disabled=${!canHangUp}
      @click=${view.onHangUp}
    >
      ${hangUpIcon}${hangUpLabelled ? html`<span dir="auto">${strings.hangUp}</span>` : nothing}
    </button>
  `;
}
