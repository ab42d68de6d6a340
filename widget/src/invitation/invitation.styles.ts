/**
 * Styles of the invitation's teaser, added to the element's shadow root after the launcher's
 * (../equos-avatar.styles.ts), whose custom properties they use, when the teaser first renders.
 * It sits above the launcher, on its side (`position`, or the page's direction), clear of the
 * launcher's label; it moves in only for visitors who have not asked for reduced motion.
 */
import { adoptStyles, css } from '../internal/css-text.js';

const INVITATION_CSS = css`
  .invitation {
    position: fixed;
    z-index: var(--_z);
    right: var(--_x);
    bottom: calc(var(--_y) + var(--_launcher) + 12px);
    display: flex;
    align-items: flex-start;
    gap: 2px;
    max-width: min(280px, calc(100vw - 2 * var(--_x)));
    padding: 4px;
    border-radius: 16px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: var(--_shadow);
  }
  .root--left .invitation {
    right: auto;
    left: var(--_x);
  }
  .invitation__text {
    flex: 1;
    padding-block: 8px;
    padding-inline: 10px 4px;
    border-radius: 12px;
    font-weight: 600;
    line-height: 1.35;
    text-align: start;
  }
  .invitation__dismiss {
    flex: none;
    display: grid;
    place-items: center;
    width: 28px;
    height: 28px;
    border-radius: 50%;
    font-size: 20px;
    line-height: 1;
  }
  .invitation__dismiss:hover {
    background: rgb(127 127 127 / 0.16);
  }
  @media (prefers-reduced-motion: no-preference) {
    .invitation {
      animation: invitation-in 220ms ease-out;
    }
  }
  @keyframes invitation-in {
    from {
      opacity: 0;
      transform: translateY(8px);
    }
  }
`;

/** Adds the teaser's styles to the element's shadow root, once. */
export function adoptInvitationStyles(root: ShadowRoot): void {
  adoptStyles(root, 'invitation', INVITATION_CSS);
}
