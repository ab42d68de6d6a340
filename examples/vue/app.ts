/**
 * The Vue example: the same product page as the React one, as a Vue 3 component with an
 * in-DOM-free template (compiled in the browser by Vue's full build, so `isCustomElement`
 * below is what tells its compiler that `<equos-avatar>` is not a Vue component).
 *
 * `.prop` makes `strings` a property even before the element is defined (the element keeps a
 * property set before it upgrades); `:context` and `:server` are properties once it is, and
 * attributes before. `@equos-state-change` listens on the element.
 */
import { createApp, ref } from 'vue';
import type { EquosAvatarVueProps } from 'equos-avatar/frameworks-vue';

const PRODUCT = { name: 'Lumen desk lamp', price: '89 €' };

/** Mounts the product page into `target`, talking to the token server `server`. */
export function mountProductPage(target: Element, server: string) {
  const app = createApp({
    setup() {
      const panel = ref('closed');
      const state = ref('idle');
      // What the template binds on <equos-avatar>, checked against the element's Vue typings.
      const avatar = {
        server,
        context: `The visitor is looking at the ${PRODUCT.name} (${PRODUCT.price}).`,
        strings: { talkTo: 'Ask {name} about the lamp' },
        onEquosStateChange: (event) => void (state.value = event.detail.to),
      } satisfies EquosAvatarVueProps;
      return {
        ...avatar,
        product: PRODUCT,
        panel,
        state,
        talk: () => document.querySelector('equos-avatar')?.start(),
      };
    },
    template: `
      <main>
        <h1>{{ product.name }}</h1>
        <p>Warm light, three brightness levels, a USB-C port in the base. <strong>{{ product.price }}</strong></p>
        <button type="button" id="talk" @click="talk">Talk to Ava</button>
        <p>Panel: <output id="panel">{{ panel }}</output> · Call: <output id="state">{{ state }}</output></p>
        <equos-avatar
          :server="server"
          preset="default"
          :context="context"
          :strings.prop="strings"
          @equos-open="panel = 'open'"
          @equos-close="panel = 'closed'"
          @equos-state-change="onEquosStateChange"
        ></equos-avatar>
      </main>`,
  });
  // Without it, Vue's compiler takes <equos-avatar> for a component and warns that it cannot
  // resolve it (unless the element happens to be defined before the template compiles).
  app.config.compilerOptions.isCustomElement = (tag) => tag === 'equos-avatar';
  return app.mount(target);
}
