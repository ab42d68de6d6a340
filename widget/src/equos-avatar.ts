/**
 * Registers `<equos-avatar>`. Guarded, so that including the script twice (a CMS plugin and
 * a pasted tag) is harmless: the first definition wins.
 */
import { EquosAvatarElement } from './equos-avatar.element.js';

if (!customElements.get('equos-avatar')) customElements.define('equos-avatar', EquosAvatarElement);

export { EquosAvatarElement };

declare global {
  interface HTMLElementTagNameMap {
    'equos-avatar': EquosAvatarElement;
  }
}
