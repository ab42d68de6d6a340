/**
 * Imports the widget's later files (the panel's, the call's, the languages') with their
 * Subresource Integrity checked, so a page that pins the launcher with `integrity` runs nothing
 * else unchecked either. `import()` takes no integrity, but a `<link rel="modulepreload"
 * integrity>` inserted before it puts the module in the document's module map with its hash
 * checked, and the import takes it from there or fails with it (widget/test/integrity.browser.test.ts
 * holds each browser to that). The launcher carries one hash only, the integrity index's
 * (`equos-avatar-integrity.<hash>.js`, every later file's SHA-384, scripts/build.mjs): loaded
 * once, checked the same way, before the first later file.
 *
 * Only in the built widget: from source, files are plain modules (widget-files.ts, localize.ts).
 */

/** The integrity index's name and SHA-384 integrity, set by the build. */
declare const __EQUOS_INTEGRITY_FILE__: string;
declare const __EQUOS_INTEGRITY__: string;

/** Where one of the widget's files is (next to its script, or on the token server). */
export type Locate = (file: string) => string | undefined;

let index: Promise<Record<string, string>> | undefined;

/**
 * Fetches and compiles `url` without running it, checked against `integrity`; `url`. Browsers
 * without modulepreload (Safari before 17, Firefox before 115) ignore the link, and the import
 * fetches the file unchecked (said once, when the index loads).
 */
function modulepreload(url: string, integrity: string): string {
  if (!document.querySelector(`link[href="${url}"]`)) {
    const link = document.createElement('link');
    // No crossorigin: a module's fetch is CORS without credentials by default, as the import's is.
    link.rel = 'modulepreload';
    link.integrity = integrity;
    link.href = url;
    document.head.append(link);
  }
  return url;
}

/**
 * Fetches and compiles one of the widget's later files without running it, checked against
 * the index (loaded once: a module that failed to load fails again in this document, whoever
 * asks); its address. A file the index does not name gets the index's own hash, which it cannot
 * match: refused, never loaded unchecked (the build lists every later file, scripts/build.mjs).
 */
export async function preloadChecked(file: string, locate: Locate): Promise<string> {
  const url = locate(file);
  if (!url) throw new Error('there is no server attribute to load it from');
  // The index is where every later file is.
  index ??= import(/* webpackIgnore: true */ modulepreload(new URL(__EQUOS_INTEGRITY_FILE__, url).href, __EQUOS_INTEGRITY__)).then(
    (module: { default: Record<string, string> }) => {
      if (!document.createElement('link').relList.supports('modulepreload')) console.warn('<equos-avatar>: no modulepreload, so later files load unchecked.');
      return module.default;
    },
  );
  return modulepreload(url, (await index)[file] ?? __EQUOS_INTEGRITY__);
}

/** Imports one of the widget's later files, its integrity checked where the browser can. */
export async function importChecked(file: string, locate: Locate): Promise<unknown> {
  return import(/* webpackIgnore: true */ await preloadChecked(file, locate));
}
