/**
 * The Vue example in the browser. The element's module comes after Vue's first render, as in
 * an app that code-splits it: Vue knows the tag from `isCustomElement` alone, and the
 * element upgrades in place with what Vue gave it.
 */
import { mountProductPage } from './app.js';

const target = document.getElementById('app')!;
mountProductPage(target, target.dataset.server!);
await import('equos-avatar');
