/**
 * How the token server reaches Equos from a Worker. workerd's `fetch` does not take
 * `redirect: 'error'` (it throws at once: "use manual and check the response status"), which
 * the Equos clients ask for so that the API key never follows a redirect elsewhere; so this
 * asks for `manual` and fails a redirect itself, as `redirect: 'error'` does elsewhere.
 */
import type { EquosFetch } from '../equos/http.js';

/**
 * `fetch` for the Equos clients on Workers: a redirect (a 3xx with a Location) is a network
 * failure, never followed.
 *
 * @example createTokenServer(settings, { store, equosFetch: workerEquosFetch })
 */
export const workerEquosFetch: EquosFetch = async (url, init) => {
  const response = await fetch(url, { ...init, redirect: 'manual' });
  if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
    await response.body?.cancel();
    throw new TypeError(`Equos answered with a redirect (HTTP ${response.status}), which is not followed: the API key must not travel elsewhere.`);
  }
  return response;
};
