/**
 * The panel's file (dist/equos-avatar-panel.<hash>.js): what a visitor who clicked sees,
 * before the call's own work. The launcher's file imports it at the first sign of intent.
 * It renders through the launcher's Lit (../internal/lit-templates.ts).
 */
import type { ReactiveControllerHost } from 'lit';
import { CallController } from '../call/call-controller.js';
import { traitsOf } from '../call/state-table.js';
import { consentGiven, consentSettings, giveConsent } from './consent.js';
import { describe } from './describe.js';
import { FocusController } from './focus-controller.js';
import type { Panel, PanelModule, PanelOptions } from './panel-port.js';
import { panelStrings } from './panel-strings.js';
import { adoptPanelStyles } from './panel.styles.js';
import { renderPanel } from './panel-view.js';

/** Creates the panel of one `<equos-avatar>`. */
export function createPanel(host: ReactiveControllerHost & HTMLElement, options: PanelOptions): Panel {
  const strings = () => panelStrings(options.words());
  // The site's disclosure: read when a call starts, so attributes set later count.
  let warned = false;
  const consent = () => {
    const settings = consentSettings(host);
    if (settings.problem && !warned) {
      warned = true;
      console.warn(`<equos-avatar>: ${settings.problem}`);
    }
    return settings;
  };
  const call = new CallController(host, {
    ...options,
    say: (cause) => strings().errors[cause](options.avatarName()),
    consentToAsk: () => {
      const settings = consent();
      return settings.version && !consentGiven(settings) ? settings.version : undefined;
    },
    consent: () => consentGiven(consent()),
    misconfigured: () => consent().problem !== undefined,
  });
  const part = (name: string) => host.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
  const focus = new FocusController(host, {
    panel: () => (options.shown() ? part('panel') : null),
    launcher: options.launcher,
    preferred: () => traitsOf(call.state).focus,
  });
  let evaluating = false;
  host.addController({
    hostUpdated() {
      // Opened: the call's file (fetched on intent) is evaluated once the panel has painted,
      // while the visitor reads it, so that neither the hover nor the Start click waits on it.
      if (evaluating || !options.floating() || !options.shown() || !options.server()) return;
      evaluating = true;
      requestAnimationFrame(() => setTimeout(() => void call.prepare().catch(() => (evaluating = false))));
    },
  });

  return {
    call,
    get canStart() {
      return traitsOf(call.state).start !== null;
    },
    get inCall() {
      return traitsOf(call.state).inCall;
    },
    focus: (target) => focus.request(target),
    render() {
      // Its styles go in when it is first drawn (not when its file arrives on a hover).
      if (host.shadowRoot) adoptPanelStyles(host.shadowRoot);
      const runner = call.runner;
      const name = options.avatarName();
      const floating = options.floating();
      const microphoneEnabled = runner?.microphoneEnabled ?? true;
      const disclosure = consent();
      return renderPanel({
        strings: strings(),
        name,
        picture: options.picture(),
        state: call.state,
        description: describe(call.state, strings(), name, microphoneEnabled),
        open: options.shown(),
        floating,
        video: runner?.videoElement ?? null,
        microphoneEnabled,
        audioBlocked: runner?.audioBlocked ?? false,
        problem: options.problem() ?? disclosure.problem,
        privacyUrl: disclosure.privacyUrl,
        onStart: options.start,
        onAgree: () => {
          giveConsent(consent());
          // The visitor's click: the element unlocks sound in it and starts, now with the consent.
          options.start();
        },
        onDecline: () => call.declineConsent(),
        onHangUp: () => call.hangUp(),
        onContinue: () => call.dispatch({ type: 'still-here' }),
        onMinimize: options.minimize,
        onToggleMicrophone: () => void call.runner?.setMicrophoneEnabled(!call.runner.microphoneEnabled),
        onResumeAudio: () => runner?.resumeAudio(),
        onKeydown: (event) => {
          if (event.key === 'Escape' && floating) {
            event.stopPropagation();
            options.minimize();
          }
        },
        onIntent: options.preload,
      });
    },
  };
}

/** Checked at build time: this file is a `PanelModule`. */
export const panelModule: PanelModule = { createPanel };
