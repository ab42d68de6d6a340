/**
 * The events `<equos-avatar>` fires, all prefixed `equos-`, bubbling and composed (they
 * cross shadow boundaries, so a page or a framework wrapper can listen anywhere above).
 *
 * The conversation's events (utterances, triggers, expiry) are fired by the second file only;
 * the launcher's bundle leaves their classes out (they are unused there).
 */
import type { Quality } from './call/link.js';
import type { EndReason, ErrorCause, StateName } from './call/machine.js';

/** Base of every widget event: typed `detail`, bubbling, composed. */
export class EquosEvent<T> extends Event {
  readonly detail: T;
  constructor(type: string, detail: T, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
    this.detail = detail;
  }
}

/** The conversation moved from one state to another. */
export class EquosStateChangeEvent extends EquosEvent<{ from: StateName; to: StateName; reason?: string }> {
  constructor(detail: { from: StateName; to: StateName; reason?: string }) {
    super('equos-state-change', detail);
  }
}

/**
 * The connection's quality as LiveKit reports it changed, or the avatar's video stopped or
 * came back: `audioOnly` says whether it is received, `reason` why that changed (`network`:
 * a weak link fell back to audio; `recovered`: the link is good again and so is the video;
 * `visitor`: the visitor's choice).
 */
export class EquosQualityChangeEvent extends EquosEvent<{ quality: Quality; audioOnly: boolean; reason?: 'network' | 'recovered' | 'visitor' }> {
  constructor(detail: { quality: Quality; audioOnly: boolean; reason?: 'network' | 'recovered' | 'visitor' }) {
    super('equos-quality-change', detail);
  }
}

/** Nobody has spoken or typed for `idle-timeout`: the panel asks "Still there?"; unanswered, the call ends in `secondsRemaining`. */
export class EquosIdleWarningEvent extends EquosEvent<{ secondsRemaining: number }> {
  constructor(detail: { secondsRemaining: number }) {
    super('equos-idle-warning', detail);
  }
}

/** A paid session started (the token server created it). */
export class EquosSessionStartEvent extends EquosEvent<{ sessionId: string }> {
  constructor(detail: { sessionId: string }) {
    super('equos-session-start', detail);
  }
}

/** A session ended, whatever the reason, after it was stopped. */
export class EquosSessionEndEvent extends EquosEvent<{ sessionId: string; durationS: number; reason: EndReason | ErrorCause }> {
  constructor(detail: { sessionId: string; durationS: number; reason: EndReason | ErrorCause }) {
    super('equos-session-end', detail);
  }
}

/** Something went wrong; `code` is stable, `message` is the sentence the visitor saw. */
export class EquosErrorEvent extends EquosEvent<{ code: ErrorCause; message: string }> {
  constructor(detail: { code: ErrorCause; message: string }) {
    super('equos-error', detail);
  }
}

/** The panel opened or closed (minimised). */
export class EquosToggleEvent extends EquosEvent<{ open: boolean }> {
  constructor(open: boolean) {
    super(open ? 'equos-open' : 'equos-close', { open });
  }
}

/** About to start a conversation; `preventDefault()` stops it (e.g. until consent is given). */
export class EquosRequestStartEvent extends EquosEvent<Record<string, never>> {
  constructor() {
    super('equos-request-start', {}, true);
  }
}

/**
 * The visitor answered the site's disclosure before a call (`consent-version`): `given`, with
 * the `version` agreed to (the token server records it with the session), or declined.
 */
export class EquosConsentEvent extends EquosEvent<{ given: boolean; version: string }> {
  constructor(detail: { given: boolean; version: string }) {
    super('equos-consent', detail);
  }
}

/** A line of the conversation, as partials (`finished: false`) and then finished. */
export class EquosUtteranceEvent extends EquosEvent<{ author: 'agent' | 'user'; content: string; finished: boolean }> {
  constructor(detail: { author: 'agent' | 'user'; content: string; finished: boolean }) {
    super('equos-utterance', detail);
  }
}

/** The avatar asks the page to act (e.g. `{ name: 'show_pricing', params: {} }`). */
export class EquosTriggerEvent extends EquosEvent<{ name: string; params: Record<string, unknown> }> {
  constructor(detail: { name: string; params: Record<string, unknown> }) {
    super('equos-trigger', detail);
  }
}

/** The avatar says the session reaches its maximum duration soon. */
export class EquosExpireSoonEvent extends EquosEvent<{ secondsRemaining: number }> {
  constructor(detail: { secondsRemaining: number }) {
    super('equos-expire-soon', detail);
  }
}

/**
 * The avatar's video went into a floating window (Picture-in-Picture) or came back
 * (`open: false`); `kind`: a small window with the call's controls (`document`), or the video
 * alone (`video`, where the browser has no Document Picture-in-Picture).
 */
export class EquosPictureInPictureEvent extends EquosEvent<{ open: boolean; kind: 'document' | 'video' }> {
  constructor(detail: { open: boolean; kind: 'document' | 'video' }) {
    super('equos-picture-in-picture', detail);
  }
}

/**
 * The call's microphone or speaker changed: the visitor chose one in the devices menu
 * (`chosen`), or the one in use was unplugged and the default took its place (`unplugged`).
 */
export class EquosDeviceChangeEvent extends EquosEvent<{ kind: 'audioinput' | 'audiooutput'; label: string; reason: 'chosen' | 'unplugged' }> {
  constructor(detail: { kind: 'audioinput' | 'audiooutput'; label: string; reason: 'chosen' | 'unplugged' }) {
    super('equos-device-change', detail);
  }
}

/**
 * A proactive invitation (the teaser beside the launcher, `invite-*` attributes) was shown,
 * accepted (the visitor clicked it: the panel opens, no call starts) or dismissed (its ×, or
 * Escape). Fired by the invitation's file only.
 */
export class EquosInvitationEvent extends EquosEvent<{ action: 'shown' | 'accepted' | 'dismissed' }> {
  constructor(action: 'shown' | 'accepted' | 'dismissed') {
    super('equos-invitation', { action });
  }
}

/**
 * Every event `<equos-avatar>` fires, by name: the one list, which the global event maps
 * below extend (so `element.addEventListener('equos-error', (event) => event.detail.code)`
 * type-checks) and framework typings map over.
 */
export interface EquosAvatarEventMap {
  'equos-state-change': EquosStateChangeEvent;
  'equos-quality-change': EquosQualityChangeEvent;
  'equos-idle-warning': EquosIdleWarningEvent;
  'equos-session-start': EquosSessionStartEvent;
  'equos-session-end': EquosSessionEndEvent;
  'equos-error': EquosErrorEvent;
  'equos-open': EquosToggleEvent;
  'equos-close': EquosToggleEvent;
  'equos-request-start': EquosRequestStartEvent;
  'equos-utterance': EquosUtteranceEvent;
  'equos-trigger': EquosTriggerEvent;
  'equos-expire-soon': EquosExpireSoonEvent;
  'equos-picture-in-picture': EquosPictureInPictureEvent;
  'equos-device-change': EquosDeviceChangeEvent;
  'equos-invitation': EquosInvitationEvent;
  'equos-consent': EquosConsentEvent;
}

/** The `detail` of the event named `K`. */
export type EquosAvatarEventDetail<K extends keyof EquosAvatarEventMap> = EquosAvatarEventMap[K]['detail'];

declare global {
  // Merged into the DOM's own map (HTMLElementEventMap extends it), hence empty here.
  interface GlobalEventHandlersEventMap extends EquosAvatarEventMap {}
}
