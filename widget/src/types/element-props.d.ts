/**
 * What `<equos-avatar>` takes, for the framework typings (./frameworks.d.ts for React,
 * ./frameworks-vue.d.ts for Vue): its attributes and properties, and its events by name.
 * Types only, with no framework's types, so either file can be used without the other.
 */
import type { StringOverrides } from '../i18n/strings.js';
import '../events.js';

/** The element's events, by name: those of `GlobalEventHandlersEventMap` that start `equos-`. */
export type EquosAvatarEventMap = {
  [K in keyof GlobalEventHandlersEventMap as K extends `equos-${string}` ? K : never]: GlobalEventHandlersEventMap[K];
};

/** The element's configuration, as attributes (strings) and as properties. */
export interface EquosAvatarAttributes {
  server?: string;
  preset?: string;
  name?: string;
  'visitor-name'?: string;
  visitorName?: string;
  position?: 'bottom-right' | 'bottom-left';
  mode?: 'floating' | 'inline';
  /** Whether the panel is open (the property of the attribute `open`). */
  opened?: boolean;
  theme?: 'light' | 'dark' | 'auto';
  locale?: string;
  /** The page's own words: an object (property), or the same as JSON (attribute). */
  strings?: StringOverrides | string;
  'avatar-timeout'?: number | string;
  avatarTimeout?: number;
  'avatar-grace'?: number | string;
  'idle-timeout'?: number | string;
  'page-vars'?: string;
  captions?: 'on' | 'off';
  /** What the page tells the avatar about itself; sent again whenever it changes. */
  context?: string;
}
