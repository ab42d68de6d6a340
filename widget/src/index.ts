/**
 * The widget's script (dist/equos-avatar.js): defines `<equos-avatar>`, creates the floating
 * widget from a `data-server` embed tag, and installs `window.EquosAvatar`, in that order: the
 * calls a page queued before the script loaded are replayed once that widget is there.
 */
import './equos-avatar.js';
import { installApi } from './api.js';
import { autoEmbed } from './embed.js';

autoEmbed();
installApi();
