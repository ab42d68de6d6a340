/**
 * The widget's analytics, in the opt-in file (../opt-in/opt-in-file.ts), loaded only when a page
 * opted in (../controllers/opt-in-controller.ts): maps the widget's events to documented analytics events and hands
 * them to the destinations the page chose, nowhere else.
 * - `analytics="datalayer"`: `(window.dataLayer ??= []).push({ event: 'equos_open', equos_preset, … })` (Google Tag Manager);
 * - `analytics="gtag"`: `gtag('event', 'equos_open', { equos_preset, … })`, when the page has `gtag`;
 * - callbacks (`EquosAvatar('analytics', fn)`): `fn({ name: 'equos_open', equos_preset, … })`, every widget's events.
 *
 * Nothing personal: no words said or typed, no names, no ids of the visitor or the session;
 * no cookies, no storage, nothing sent by the widget itself.
 */

/** What a callback receives: the event's documented name and fields (README, "Analytics"). */
export interface AnalyticsEvent {
  /** `equos_open`, `equos_session_end`, … */
  name: string;
  /** The element's `preset`, or `default` (the token server's default preset). */
  equos_preset: string;
  [field: string]: string | number;
}

/** A page's own analytics callback (`EquosAvatar('analytics', fn)`). */
export type AnalyticsCallback = (event: AnalyticsEvent) => void;

/** Events of elements waiting for this file (../controllers/opt-in-controller.ts); once it is in, its `push` reports them. */
export type AnalyticsQueue = Array<[HTMLElement, Event]>;

type Fields = Record<string, string | number>;

/** The widget's events that are reported, by their name, with their fields (README, "Analytics"). */
const EVENTS: Record<string, (detail: Record<string, unknown>) => [string, Fields?] | undefined> = {
  'equos-open': () => ['equos_open'],
  'equos-close': () => ['equos_close'],
  'equos-request-start': () => ['equos_start_requested'],
  'equos-session-start': () => ['equos_session_start'],
  'equos-session-end': (detail) => ['equos_session_end', { duration_s: Number(detail.durationS), end_reason: String(detail.reason) }],
  'equos-error': (detail) => ['equos_error', { error_code: String(detail.code) }],
  'equos-invitation': (detail) => [`equos_invitation_${String(detail.action)}`],
  // The consent step's answer: `{ given: boolean }` (or `{ action: 'given' | 'declined' }`).
  'equos-consent': (detail) => [`equos_consent_${detail.given === true || detail.action === 'given' ? 'given' : 'declined'}`],
};

/** The destinations an `analytics` attribute may name. */
const DESTINATIONS = ['datalayer', 'gtag'];

/** Warned once each: an unknown destination, a missing `gtag`, a callback that throws. */
const warned = new Set<unknown>();
function warnOnce(key: unknown, message: string, error?: unknown): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`<equos-avatar>: ${message}`, ...(error === undefined ? [] : [error]));
}

type Page = Window & { dataLayer?: unknown[]; gtag?: (...args: unknown[]) => void };

/** The event of `element` as its analytics event, if it is one that is reported. */
export function analyticsEventOf(element: HTMLElement, event: Event): AnalyticsEvent | undefined {
  const mapped = EVENTS[event.type]?.(((event as CustomEvent).detail ?? {}) as Record<string, unknown>);
  if (!mapped) return undefined;
  const [name, fields] = mapped;
  return { name, equos_preset: element.getAttribute('preset')?.trim() || 'default', ...fields };
}

/** Reports what `queue` holds, and from then on what is pushed on it (../controllers/opt-in-controller.ts). */
export function drain(queue: AnalyticsQueue, callbacks: readonly AnalyticsCallback[]): void {
  if (queue.push !== Array.prototype.push) return;
  const report = ([element, event]: [HTMLElement, Event]) => {
    const reported = analyticsEventOf(element, event);
    if (!reported) return;
    const { name, ...fields } = reported;
    const page = window as Page;
    const wanted = (element.getAttribute('analytics') ?? '').toLowerCase().split(/[\s,]+/).filter(Boolean);
    for (const destination of wanted) {
      if (destination === 'datalayer') (page.dataLayer ??= []).push({ event: name, ...fields });
      else if (destination === 'gtag') {
        if (typeof page.gtag === 'function') page.gtag('event', name, fields);
        else warnOnce('gtag', 'analytics="gtag" is set but the page has no gtag() function: add Google’s gtag.js snippet before the widget, or use analytics="datalayer" with Google Tag Manager.');
      } else warnOnce(destination, `analytics="${destination}" is not a destination the widget knows; use ${DESTINATIONS.join(' and/or ')}, or EquosAvatar('analytics', callback) for any other tool.`);
    }
    for (const callback of callbacks) {
      try {
        // A copy each: a callback that changes its event changes no other's.
        callback({ ...reported });
      } catch (error) {
        warnOnce(callback, 'an analytics callback threw; the widget goes on (said once per callback):', error);
      }
    }
  };
  for (const entry of queue.splice(0)) report(entry);
  queue.push = (...entries) => {
    entries.forEach(report);
    return 0;
  };
}
