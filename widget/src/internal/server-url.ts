/** Resolves `path` against the token server's base URL (a base without a trailing slash is a directory). */
export function serverUrl(server: URL, path: string): string {
  const base = server.href.endsWith('/') ? server.href : `${server.href}/`;
  return new URL(path.replace(/^\//, ''), base).href;
}
