/**
 * `<equos-avatar>` in Vue 3's templates and TSX (checked by vue-tsc / Volar): its attributes,
 * properties and `@equos-*` listeners, typed. Types only.
 *
 * Vue sets a prop as a property when the element has one of that name (once it is defined;
 * `.prop` forces it before), else as an attribute. Tell Vue's compiler the tag is not a
 * component: `app.config.compilerOptions.isCustomElement = (tag) => tag === 'equos-avatar'`
 * (or `compilerOptions` of @vitejs/plugin-vue).
 *
 * @example
 * <equos-avatar :server="server" :strings.prop="{ talkTo: 'Ask {name}' }"
 *   @equos-state-change="(event) => (state = event.detail.to)" />
 */
import type { DefineComponent, HTMLAttributes } from 'vue';
import type { EquosAvatarElement } from '../equos-avatar.element.js';
import type { EquosAvatarAttributes, EquosAvatarEventMap } from './element-props.js';

/** `equos-state-change` → `equosStateChange`. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** `@equos-state-change` is the prop `onEquosStateChange` to Vue. */
export type EquosAvatarVueEvents = {
  [K in keyof EquosAvatarEventMap as `on${Capitalize<CamelCase<K>>}`]?: (event: EquosAvatarEventMap[K]) => void;
};

/** Everything `<equos-avatar>` takes in a Vue template. */
export type EquosAvatarVueProps = Omit<HTMLAttributes, keyof EquosAvatarAttributes> & EquosAvatarAttributes & EquosAvatarVueEvents;

declare module 'vue' {
  interface GlobalComponents {
    'equos-avatar': DefineComponent<EquosAvatarVueProps, EquosAvatarElement>;
  }
}
