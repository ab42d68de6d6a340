/**
 * The widget's script (dist/equos-avatar.js): defines `<equos-avatar>`, installs
 * `window.EquosAvatar`, and creates the floating widget from a `data-server` embed tag.
 */
import './equos-avatar.js';
import { installApi } from './api.js';
import { autoEmbed } from './embed.js';

installApi();
autoEmbed();
