/**
 * Keyboard use, with real key presses (sent by the browser's automation protocol, not
 * synthesised events): focus stays inside the open panel, on a control that works, through
 * every state of a call, and Escape minimises from each of them.
 */
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import type { EquosAvatarElement } from '../src/equos-avatar.element.js';
import { fakeLive, mount, part, unmountAll, until } from './fixtures.js';

/** The widget's focused control, by its part name, or why there is none. */
function focused(element: EquosAvatarElement): string {
  if (document.activeElement !== element) return `outside the widget (${document.activeElement?.tagName ?? 'nothing'})`;
  const active = element.shadowRoot!.activeElement as HTMLElement | null;
  if (!active) return 'nothing inside the widget';
  if ((active as HTMLButtonElement).disabled) return `${active.getAttribute('part')} (disabled)`;
  return active.getAttribute('part') ?? active.tagName;
}

/** Asserts that focus is on an enabled control inside the open panel. */
function expectFocusInPanel(element: EquosAvatarElement, when: string): void {
  const active = element.shadowRoot!.activeElement;
  const inPanel = active !== null && part(element, 'panel')!.contains(active) && !(active as HTMLButtonElement).disabled;
  expect(inPanel, `${when}: focus is on ${focused(element)}`).to.equal(true);
}

/** Escape minimises (focus returns to the launcher), Enter on the launcher opens again (focus back in the panel). */
async function escapeAndReturn(element: EquosAvatarElement, when: string): Promise<void> {
  await sendKeys({ press: 'Escape' });
  await element.updateComplete;
  expect(part(element, 'panel')!.hidden, `${when}: Escape minimises`).to.equal(true);
  expect(focused(element), `${when}: focus returns to the launcher`).to.equal('launcher');
  await sendKeys({ press: 'Enter' });
  await element.updateComplete;
  expect(part(element, 'panel')!.hidden, `${when}: Enter opens again`).to.equal(false);
  expectFocusInPanel(element, `${when}, reopened`);
}

describe('<equos-avatar>: keyboard only', () => {
  afterEach(unmountAll);

  it('keeps focus inside the panel after Start, when live, after hang-up and once ended; Escape minimises in each', async () => {
    const live = fakeLive();
    const element = await mount({}, live);
    part(element, 'launcher')!.focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(focused(element)).to.equal('start-button');

    await sendKeys({ press: 'Enter' });
    await until(() => live.adapters[0]?.connected !== undefined, 'the call to connect');
    await element.updateComplete;
    expect(element.state.name).to.equal('connecting');
    expectFocusInPanel(element, 'after Start');
    await escapeAndReturn(element, 'connecting');

    live.adapters[0]!.emit({ type: 'connected', avatarPresent: true });
    await element.updateComplete;
    expect(element.state.name).to.equal('live');
    expectFocusInPanel(element, 'live');
    await escapeAndReturn(element, 'live');

    // Hang up from the keyboard: move to the hang-up button, press it.
    for (let tabs = 0; focused(element) !== 'hangup-button' && tabs < 6; tabs += 1) await sendKeys({ press: 'Tab' });
    expect(focused(element)).to.equal('hangup-button');
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(['ending', 'ended']).to.include(element.state.name);
    expectFocusInPanel(element, 'after hang-up');

    await until(() => element.state.name === 'ended', 'the end');
    await element.updateComplete;
    expectFocusInPanel(element, 'ended');
    expect(focused(element)).to.equal('start-button');
    await escapeAndReturn(element, 'ended');
  });
});
