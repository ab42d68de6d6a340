/**
 * The avatar's name and picture for the launcher, from the token server's `GET api/presets`
 * (fetched once per server, before anything is paid for): the preset the element names, or
 * the server's first (its default). The picture comes in the sizes the server resized it to,
 * so a screen loads the one it needs.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { readPublicPresets, type PublicPreset } from '../../../contract/token-server-api.js';
import { serverUrl } from '../internal/server-url.js';
import type { Picture } from '../view/picture.js';

/** What the controller reads from its element. */
export interface PresetsOptions {
  server(): URL | null;
  preset(): string | null;
}

/** The shown preset of one `<equos-avatar>`. */
export class PresetsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: PresetsOptions;
  /** The server the list is (being) fetched from, and the list once it came (empty when it failed). */
  #server = '';
  #list: PublicPreset[] | undefined;
  #abort: AbortController | undefined;

  constructor(host: ReactiveControllerHost, options: PresetsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The preset shown (its thumbnail resolved against the server), once known. */
  get preset(): PublicPreset | undefined {
    const name = (this.#options.preset() ?? '').trim().toLowerCase();
    return this.#list?.find((preset) => preset.name === name) ?? this.#list?.[0];
  }

  /** The shown preset's picture, if it has one. */
  get picture(): Picture | undefined {
    const preset = this.preset;
    return preset?.thumbnail_url ? { src: preset.thumbnail_url, srcset: preset.thumbnails?.map(({ url, width }) => `${url} ${width}w`).join() } : undefined;
  }

  /** The list has come (or failed): the launcher need not wait for it any longer. */
  get settled(): boolean {
    return this.#list !== undefined;
  }

  hostUpdate(): void {
    const server = this.#options.server();
    if (!server || server.href === this.#server) return;
    this.#server = server.href;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#list = undefined;
    // The launcher works without a name or picture (an empty list); starting reports real errors.
    void fetchPresets(server, abort.signal)
      .catch((): PublicPreset[] => [])
      .then((list) => {
        if (abort.signal.aborted) return;
        this.#list = list;
        this.#host.requestUpdate();
      });
  }

  hostConnected(): void {
    if (!this.settled) this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    // Fetched again if the element comes back (it was moved).
    this.#abort?.abort();
    if (!this.settled) this.#server = '';
  }
}

/** The presets the token server offers, pictures resolved against it. */
async function fetchPresets(server: URL, signal: AbortSignal): Promise<PublicPreset[]> {
  const response = await fetch(serverUrl(server, 'api/presets'), { credentials: 'omit', signal });
  const presets = response.ok ? readPublicPresets(await response.json()) : undefined;
  if (!presets) throw new Error(`presets: ${response.status}`);
  const at = (url: string) => serverUrl(server, url);
  return presets.map(({ thumbnail_url, thumbnails, ...preset }) => ({
    ...preset,
    ...(thumbnail_url ? { thumbnail_url: at(thumbnail_url) } : {}),
    ...(thumbnails ? { thumbnails: thumbnails.map(({ url, width }) => ({ url: at(url), width })) } : {}),
  }));
}
