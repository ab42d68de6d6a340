/**
 * The events a page hears, derived in one place from each transition of the call, so that
 * what the page sees is exactly what the machine did.
 */
import { EquosConsentEvent, EquosErrorEvent, EquosIdleWarningEvent, EquosQualityChangeEvent, EquosSessionEndEvent, EquosSessionStartEvent, EquosStateChangeEvent } from '../events.js';
import { LINK_TABLE, type Link } from './link.js';
import { durationS, type CallState, type ErrorCause } from './machine.js';

/**
 * The events for the move `from` → `to`, in the order to dispatch them.
 *
 * @param say the sentence the visitor is shown for an error cause
 */
export function pageEventsFor(from: CallState, to: CallState, say: (cause: ErrorCause) => string, now: number = Date.now()): Event[] {
  const events: Event[] = [];
  const quality = qualityChange('link' in from ? from.link : undefined, 'link' in to ? to.link : undefined);
  if (quality) events.push(quality);
  // Changes within a state (the avatar speaking, a reconnection, the link) are not state changes.
  if (from.name === to.name) return events;
  events.push(new EquosStateChangeEvent({ from: from.name, to: to.name, ...reasonOf(from, to) }));
  // Left by a start (with the consent given) or by declining (or a hang-up, the page going).
  if (from.name === 'consent') events.push(new EquosConsentEvent({ given: to.name === 'starting', version: from.version }));
  if (to.name === 'idle-check') events.push(new EquosIdleWarningEvent({ secondsRemaining: Math.max(0, Math.ceil((to.endsAt - now) / 1000)) }));
  if (from.name === 'starting' && to.name === 'connecting') events.push(new EquosSessionStartEvent({ sessionId: to.session.session_id }));
  if (from.name === 'ending' && (to.name === 'ended' || to.name === 'error')) {
    events.push(new EquosSessionEndEvent({ sessionId: from.session.session_id, durationS: durationS(from.session, now), reason: to.name === 'ended' ? to.reason : to.cause }));
  }
  if (to.name === 'error') events.push(new EquosErrorEvent({ code: to.cause, message: say(to.cause) }));
  return events;
}

/**
 * `equos-quality-change` when the link's quality or its video changed between two joined
 * states (a call's first link, before any report, says nothing yet).
 */
function qualityChange(from: Link | undefined, to: Link | undefined): EquosQualityChangeEvent | undefined {
  if (!to || !from || from === to) return undefined;
  const audioOnly = !LINK_TABLE[to.name].receivesVideo;
  const wasAudioOnly = !LINK_TABLE[from.name].receivesVideo;
  if (from.quality === to.quality && audioOnly === wasAudioOnly) return undefined;
  return new EquosQualityChangeEvent({ quality: to.quality, audioOnly, ...(audioOnly === wasAudioOnly ? {} : { reason: whyVideoChanged(from, to) }) });
}

/** Why the video stopped or came back: the link fell back, the link came back (a new quality, not a click), or the visitor. */
function whyVideoChanged(from: Link, to: Link): 'network' | 'recovered' | 'visitor' {
  if (to.name === 'audio-fallback') return 'network';
  if (from.name === 'audio-fallback' && from.quality !== to.quality) return 'recovered';
  return 'visitor';
}

/**
 * Why the call moved, when the states alone do not say: how it ended or failed, and the
 * avatar dropping out (`avatar-left`, into `avatar-away`), coming back within its grace
 * (`avatar-returned`), or taking long to join (`avatar-late`), and nobody having spoken or
 * typed for a while (`idle-warning`, into `idle-check`; unanswered, the call ends with `idle`).
 */
function reasonOf(from: CallState, to: CallState): { reason?: string } {
  if (to.name === 'error') return { reason: to.cause };
  if (to.name === 'ended') return { reason: to.reason };
  if (to.name === 'avatar-away') return { reason: 'avatar-left' };
  if (to.name === 'avatar-late') return { reason: 'avatar-late' };
  if (to.name === 'idle-check') return { reason: 'idle-warning' };
  if (from.name === 'avatar-away' && to.name === 'live') return { reason: 'avatar-returned' };
  return {};
}
