/** Equos resource ids, as the token server accepts them from configuration and URLs. */

const EQUOS_ID = /^[\w.:-]{1,128}$/;

/** Whether `value` looks like an Equos resource id (safe to put in a URL path). */
export function isEquosId(value: string): boolean {
  return EQUOS_ID.test(value);
}
