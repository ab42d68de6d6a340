/**
 * A proactive invitation, in the opt-in file (../opt-in/opt-in-file.ts), loaded only for an
 * element with `invite-*` attributes (../controllers/opt-in-controller.ts): a small teaser beside
 * the launcher ("Questions? Ask Ava") when one of its rules fires, on the pages it names, at
 * most `invite-limit` times a visitor session (./cap.ts). It renders through the launcher's Lit.
 *
 * Only for a floating widget whose panel is closed with no call under way, and never in a way
 * that interrupts: it does not take focus, is announced once (a polite live region), opens the
 * panel when clicked (never starts a call: no microphone), and goes with its × or Escape.
 */
import { html, nothing } from 'lit';
import { traitsOf } from '../call/state-table.js';
import type { InvitationWords } from '../controllers/opt-in-controller.js';
import type { EquosAvatarElement } from '../equos-avatar.element.js';
import { EquosInvitationEvent } from '../events.js';
import { enInvitation } from '../i18n/en-invitation.js';
import { capAllows, closeForSession, countShown } from './cap.js';
import { adoptInvitationStyles } from './invitation.styles.js';
import { matchesPages, readRules } from './rules.js';

/** Exit intent is a pointer leaving the window: a desktop's mouse (no phone has one). */
const DESKTOP = '(hover: hover) and (pointer: fine)';

/**
 * Starts the invitation of one `<equos-avatar>` (its rules armed while it is on the page, by a
 * controller of its own); what renders its teaser, nothing until it shows.
 */
export function createInvitation(host: EquosAvatarElement, words: InvitationWords): () => unknown {
  const problems: string[] = [];
  const rules = readRules(host, problems);
  const floating = host.mode !== 'inline';
  if (!floating) problems.push('invite-* attributes work for a floating widget only (an inline one has no launcher to show it beside).');
  if (problems.length) console.warn(`<equos-avatar>: ${problems.join(' ')}`);

  /** `waiting` for a rule to fire, `shown`, or `over` for this page (dismissed, accepted, the panel opened, not here). */
  let phase: 'waiting' | 'shown' | 'over' = floating && matchesPages(rules.pages, location.pathname) && capAllows(rules.limit) ? 'waiting' : 'over';
  /** The rules' listeners and timers, while armed. */
  let armed: AbortController | undefined;
  const part = (name: string) => host.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;

  const end = (action?: 'accepted' | 'dismissed') => {
    phase = 'over';
    armed?.abort();
    if (action) {
      closeForSession();
      host.dispatchEvent(new EquosInvitationEvent(action));
    }
    host.requestUpdate();
  };

  const show = () => {
    // Not while the visitor is in the panel or a call (the panel opening ends the invitation anyway).
    if (phase !== 'waiting' || host.opened || traitsOf(host.state).start === null) return;
    if (!capAllows(rules.limit)) return end();
    phase = 'shown';
    armed?.abort();
    countShown();
    host.requestUpdate();
    host.dispatchEvent(new EquosInvitationEvent('shown'));
  };

  const dismiss = () => {
    const focused = part('invitation')?.contains(host.shadowRoot!.activeElement) ?? false;
    end('dismissed');
    // The teaser goes: focus that was in it goes to the launcher, not to the page's start.
    if (focused) part('launcher')?.focus();
  };

  // Clicked, it does what the launcher's click does: opens the panel (focus moves into it, as
  // from the launcher), and starts nothing.
  const accept = () => {
    end('accepted');
    if (!host.opened) part('launcher')?.click();
  };

  /** Listens for the rules (passively), while the element is on the page. */
  const arm = () => {
    if (phase !== 'waiting' || !host.isConnected || (armed && !armed.signal.aborted)) return;
    armed = new AbortController();
    const { signal } = armed;
    const after = (ms: number) => {
      const timer = setTimeout(show, ms);
      signal.addEventListener('abort', () => clearTimeout(timer));
    };
    if (rules.afterS !== undefined) after(rules.afterS * 1000);
    if (rules.scrollPercent !== undefined) {
      const percent = rules.scrollPercent;
      const onScroll = () => {
        const scrollable = document.documentElement.scrollHeight - innerHeight;
        if (scrollable > 0 && (scrollY / scrollable) * 100 >= percent) show();
      };
      addEventListener('scroll', onScroll, { passive: true, signal });
    }
    if (rules.exit && matchMedia(DESKTOP).matches) {
      document.addEventListener('mouseout', (event) => !event.relatedTarget && event.clientY <= 0 && show(), { passive: true, signal });
    }
    // No rule of when: as soon as the page has loaded (the file comes once it has).
    if (rules.afterS === undefined && rules.scrollPercent === undefined && !rules.exit) after(0);
  };
  // The visitor opened the panel (themselves, or by accepting): no invitation on this page any more.
  host.addEventListener('equos-open', () => phase !== 'over' && end());
  // Armed when the browser is idle (Safari has no requestIdleCallback).
  host.addController({ hostConnected: () => (window.requestIdleCallback ?? setTimeout)(arm), hostDisconnected: () => armed?.abort() });
  host.requestUpdate();

  return () => {
    if (phase === 'over') return nothing;
    if (host.shadowRoot) adoptInvitationStyles(host.shadowRoot);
    const [strings, name] = words();
    const text = rules.text?.replaceAll('{name}', name) ?? (strings.invitation ?? enInvitation.invitation)(name);
    const visible = phase === 'shown' && !host.opened;
    // The live region is there before the teaser, so that the teaser is announced when it comes.
    return html`<div class="invitation-region" aria-live="polite">
      ${visible
        ? html`<div
            class="invitation"
            part="invitation"
            @keydown=${(event: KeyboardEvent) => {
              if (event.key !== 'Escape') return;
              event.stopPropagation();
              dismiss();
            }}
          >
            <button class="invitation__text" part="invitation-text" type="button" dir="auto" @click=${accept}>${text}</button>
            <button class="invitation__dismiss" part="invitation-dismiss" type="button" aria-label=${strings.dismissInvitation ?? enInvitation.dismissInvitation} @click=${dismiss}>
              <span aria-hidden="true">×</span>
            </button>
          </div>`
        : nothing}
    </div>`;
  };
}
