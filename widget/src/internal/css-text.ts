/**
 * CSS as text, for the styles of the widget's later files (the panel's, the call's). The
 * build minifies these templates as it does Lit's (files named `*.styles.ts`); importing
 * Lit's `css` instead would bring Lit's styling code into files that render through the
 * launcher's Lit.
 *
 * The raw strings are used: a CSS escape such as `\2026` (which the minifier writes for `…`)
 * is not a valid JavaScript escape, and a tagged template's cooked string for it is undefined.
 */
export const css = (text: TemplateStringsArray): string => text.raw.join('');

const sheets = new Map<string, CSSStyleSheet>();

/**
 * Adds `text` to the element's shadow root after the styles already there, once per `name`:
 * each later file's rules come after the launcher's, and may build on them.
 */
export function adoptStyles(root: ShadowRoot, name: string, text: string): void {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    let sheet = sheets.get(name);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      sheets.set(name, sheet);
    }
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } else if (!root.querySelector(`style[data-equos="${name}"]`)) {
    // Without constructable sheets (Safari before 16.4) Lit keeps its own <style> elements
    // after the rendered content, outside its parts: these go beside them.
    const style = document.createElement('style');
    style.dataset.equos = name;
    style.textContent = text;
    root.append(style);
  }
}
