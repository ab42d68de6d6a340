/**
 * The Custom Elements Manifest (custom-elements.json, committed; `npm run cem` writes it) from
 * `<equos-avatar>`'s own JSDoc (`@attr`, `@event {Type} name`, `@csspart`, `@cssproperty`) and
 * its Lit properties. scripts/custom-elements-manifest.test.ts fails when the committed file is
 * not what this config makes of the code.
 */

/**
 * The analyzer also lists each `dispatchEvent(new SomeEvent(…))` it sees, naming it after the
 * constructor's first argument (`open`) or not at all: our event classes name themselves, so
 * only the documented `equos-*` events are kept.
 */
const documentedEventsOnly = {
  name: 'equos-documented-events-only',
  packageLinkPhase({ customElementsManifest }) {
    for (const module of customElementsManifest.modules) {
      for (const declaration of module.declarations ?? []) {
        if (declaration.events) declaration.events = declaration.events.filter((event) => event.name?.startsWith('equos-'));
      }
    }
  },
};

export default {
  globs: ['widget/src/equos-avatar.element.ts', 'widget/src/equos-avatar.ts'],
  outdir: '.',
  litelement: true,
  // The package.json `customElements` field is written by hand.
  packagejson: false,
  plugins: [documentedEventsOnly],
};
