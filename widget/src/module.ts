/**
 * The package's element module (`import 'equos-avatar'` in Vite, webpack, Next.js; built into
 * dist/npm/equos-avatar.mjs by scripts/build-package.mjs): what the widget's script does
 * (./index.ts: defines `<equos-avatar>`, installs `window.EquosAvatar`, honours a `data-server`
 * embed tag) as an ES module, with the element's class and public types.
 *
 * Bundled into a page's own script, the module cannot know where it came from, so the later
 * files (panel, call, languages) come from the token server in the element's `server`
 * attribute, which serves them all (internal/widget-files.ts). Under Node (server rendering)
 * the `node` export condition gives ./module.node.ts instead, which defines nothing.
 *
 * @example
 * import 'equos-avatar';
 *
 * const avatar = document.createElement('equos-avatar');
 * avatar.server = 'https://avatar.example.com';
 * avatar.addEventListener('equos-state-change', (event) => console.log(event.detail.to));
 * document.body.append(avatar);
 *
 * @packageDocumentation
 */
import './index.js';

export { EquosAvatarElement } from './equos-avatar.js';
export * from './events.js';
export type { EquosAvatarApi } from './api.js';
export type { CallSession, CallState, EndReason, ErrorCause, Outcome, StateName } from './call/machine.js';
export type { Link, Quality } from './call/link.js';
export type { StringOverrides } from './i18n/strings.js';
