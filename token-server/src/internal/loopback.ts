/** Loopback host names: what only the machine itself can be (a DNS name can point anywhere). */

/** Whether `hostname` (as `URL#hostname` gives it) is a loopback literal: `localhost`, 127.x.x.x or [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
