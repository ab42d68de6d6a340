/**
 * The WordPress plugin (integrations/wordpress/equos-avatar) in a real WordPress: Debian's
 * WordPress 6.1 on PHP's server and a private MariaDB (test-site/wordpress-site.ts), the real
 * token server and sandbox (testing/stack.ts), and headless Chromium. The owner sets the
 * plugin up in wp-admin; visitors see the bubble, the shortcode and the block.
 *
 * The tests run in order: each one builds on the settings the ones before saved.
 */
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../testing/stack.js';
import { waitForPart } from '../../testing/widget-parts.js';
import { startWordPressSite, WORDPRESS_ADMIN, type WordPressSite } from './test-site/wordpress-site.js';
import { startEndToEnd, WITH_BROWSER_START_MS, type EndToEnd } from '../../testing/end-to-end.js';

let endToEnd: EndToEnd | undefined;
let stack: TestStack | undefined;
let site: WordPressSite | undefined;
let browser: Browser | undefined;
/** The logged-in administrator's browser context, and a visitor's (no cookies). */
let owner: BrowserContext;
let visitor: BrowserContext;
/** The test pages' content, by name. */
const TEST_PAGES = {
  shortcode: '[equos_avatar preset="page-vars" name="Inline Ava" inline]',
  block: '<!-- wp:equos-avatar/inline {"preset":"default"} /-->',
  // The first shortcode's bare `>` makes WordPress texturize it before it is parsed (its
  // attributes arrive mangled); the second's reach the plugin as written.
  hostile:
    `[equos_avatar preset='x"><script>window.injected=1</script>' name='Ava "the" <b>great</b>"><img src=x onerror=window.injected=2>']\n\n` +
    `[equos_avatar name='Ava <b>"the"</b> great" onmouseover="window.injected=3' server="https://evil.example" onclick="window.injected=4" ` +
    `locale='de" onload="window.injected=5' preset="NOT-A-SLUG"]`,
};
/** Their addresses. */
let pages: Record<keyof typeof TEST_PAGES, string>;

beforeAll(async () => {
  // One at a time: each fails with its own message, and afterAll stops whatever started.
  endToEnd = await startEndToEnd();
  ({ stack, browser } = endToEnd);
  site = await startWordPressSite();
  owner = await browser.createBrowserContext();
  visitor = await browser.createBrowserContext();
  pages = await site.php(`
    $page = function ( $title, $content ) {
      return get_permalink( wp_insert_post( array( 'post_type' => 'page', 'post_status' => 'publish', 'post_title' => $title, 'post_content' => base64_decode( $content ) ) ) );
    };
    return array(${Object.entries(TEST_PAGES)
      .map(([name, content]) => `'${name}' => $page( '${name}', '${Buffer.from(content).toString('base64')}' )`)
      .join(', ')});
  `);
}, WITH_BROWSER_START_MS + 60_000);

afterAll(async () => {
  await site?.close();
  await endToEnd?.close();
}, 30_000);

/** Opens `path` of the site, recording every address the page requested and its script errors. */
async function open(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(String(error)));
  const response = await page.goto(path.startsWith('http') ? path : `${site!.url}${path}`, { waitUntil: 'networkidle0' });
  expect(response?.status(), path).toBe(200);
  return { page, requests, errors };
}

/** What the page has of the widget: its elements' attributes, and the widget's script tags. */
const widgetsOn = (page: Page) =>
  page.evaluate(() => ({
    elements: [...document.querySelectorAll('equos-avatar')].map((element) => Object.fromEntries([...element.attributes].map((attribute) => [attribute.name, attribute.value]))),
    scripts: [...document.querySelectorAll('script[src*="equos-avatar.js"]')].map((script) => ({
      src: script.getAttribute('src'),
      async: script.hasAttribute('async'),
      data: Object.fromEntries([...script.attributes].filter((attribute) => attribute.name.startsWith('data-')).map((attribute) => [attribute.name, attribute.value])),
    })),
  }));

const widgetScriptRequested = (requests: string[]) => requests.some((url) => url.startsWith(stack!.tokenServerUrl) && url.includes('/equos-avatar.js'));

async function saveSettings(page: Page, values: { server: string; preset: string; name?: string }): Promise<void> {
  // The browser's own checks (type="url", the preset's pattern) are a convenience a hostile
  // client skips, so the server's are the ones tested.
  await page.$eval('form[action="options.php"]', (form) => ((form as HTMLFormElement).noValidate = true));
  for (const [field, value] of Object.entries(values)) {
    await page.$eval(`#equos-avatar-${field}`, (input) => ((input as HTMLInputElement).value = ''));
    await page.type(`#equos-avatar-${field}`, value);
  }
  await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('#submit')]);
}

const fieldValue = (page: Page, field: string) => page.$eval(`#equos-avatar-${field}`, (input) => (input as HTMLInputElement).value);

describe('WordPress plugin in a real WordPress', () => {
  it('before it is set up: the admin is told to set the token server, visitors get nothing', async () => {
    const login = await open(owner, '/wp-login.php');
    await login.page.type('#user_login', WORDPRESS_ADMIN.user);
    await login.page.type('#user_pass', WORDPRESS_ADMIN.password);
    await Promise.all([login.page.waitForNavigation({ waitUntil: 'networkidle0' }), login.page.click('#wp-submit')]);
    expect(new URL(login.page.url()).pathname).toBe('/wp-admin/');
    expect(await login.page.$eval('#equos-avatar-notice', (notice) => notice.textContent)).toContain('set your token server URL');
    await login.page.close();

    const front = await open(visitor, '/');
    expect(await widgetsOn(front.page)).toEqual({ elements: [], scripts: [] });
    await front.page.close();
  }, 30_000);

  it('Settings → Equos Avatar saves the token server and the preset', async () => {
    const { page } = await open(owner, '/wp-admin/options-general.php?page=equos-avatar');
    expect(await page.$eval('h1', (heading) => heading.textContent)).toBe('Equos Avatar');
    // The Settings API's hidden fields: the nonce that options.php checks.
    expect(await page.$eval('input[name="_wpnonce"]', (input) => (input as HTMLInputElement).value)).toMatch(/^[0-9a-f]{10}$/);
    await saveSettings(page, { server: `${stack!.tokenServerUrl}/`, preset: 'short', name: 'Wendy' });
    expect(await page.$eval('#setting-error-settings_updated', (notice) => notice.textContent)).toContain('Settings saved.');
    // Stored without the trailing slash, so the script's address has none doubled.
    expect(await fieldValue(page, 'server')).toBe(stack!.tokenServerUrl);
    expect(await fieldValue(page, 'preset')).toBe('short');
    expect(await page.$('#equos-avatar-notice')).toBeNull();
    await page.close();
  }, 30_000);

  it('an invalid token server URL or preset is refused with a settings error, and the old value kept', async () => {
    const { page } = await open(owner, '/wp-admin/options-general.php?page=equos-avatar');
    await saveSettings(page, { server: 'javascript:alert(1)', preset: 'short' });
    expect(await page.$eval('#setting-error-invalid-server', (notice) => notice.textContent)).toContain('must be an http:// or https:// address');
    expect(await page.$('#setting-error-settings_updated')).toBeNull();
    expect(await fieldValue(page, 'server')).toBe(stack!.tokenServerUrl);

    await saveSettings(page, { server: 'ftp://avatar.example.com', preset: 'Not A Slug!' });
    expect(await page.$('#setting-error-invalid-server')).not.toBeNull();
    expect(await page.$('#setting-error-invalid-preset')).not.toBeNull();
    expect(await fieldValue(page, 'server')).toBe(stack!.tokenServerUrl);
    expect(await fieldValue(page, 'preset')).toBe('short');
    await page.close();
    expect(await site!.php(`return get_option( 'equos_avatar_settings' );`)).toMatchObject({ server: stack!.tokenServerUrl, preset: 'short', name: 'Wendy', floating: true });
  }, 30_000);

  it('the front page has the floating bubble, created by the script from its data-* attributes', async () => {
    const { page, errors } = await open(visitor, '/');
    await waitForPart(page, 'launcher');
    const { elements, scripts } = await widgetsOn(page);
    expect(scripts).toEqual([
      { src: `${stack!.tokenServerUrl}/equos-avatar.js`, async: true, data: { 'data-server': stack!.tokenServerUrl, 'data-preset': 'short', 'data-name': 'Wendy', 'data-position': 'bottom-right', 'data-theme': 'auto' } },
    ]);
    // Made by widget/src/embed.ts (WordPress prints no element), so floating: no `mode`.
    expect(elements).toEqual([{ server: stack!.tokenServerUrl, preset: 'short', name: 'Wendy', position: 'bottom-right', theme: 'auto' }]);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it('the shortcode renders an inline widget, the only one on the page, and a visitor can talk to it', async () => {
    const { page, errors } = await open(visitor, pages.shortcode);
    const start = await waitForPart(page, 'start-button');
    const { elements, scripts } = await widgetsOn(page);
    expect(elements).toEqual([{ server: stack!.tokenServerUrl, mode: 'inline', preset: 'page-vars', name: 'Inline Ava', theme: 'auto' }]);
    // One script tag (the bubble's, whose data-server the script ignores on a page that has a widget).
    expect(scripts).toHaveLength(1);
    expect(await page.$eval('equos-avatar', (element) => element.parentElement!.closest('article') !== null)).toBe(true);

    await start.click();
    await page.waitForFunction(() => (document.querySelector('equos-avatar') as HTMLElement & { state: { name: string } }).state.name === 'live', { timeout: 20_000 });
    await (await waitForPart(page, 'hangup-button')).click();
    await page.waitForFunction(() => (document.querySelector('equos-avatar') as HTMLElement & { state: { name: string } }).state.name === 'ended', { timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 45_000);

  it('the block renders the same element on the server', async () => {
    const { page } = await open(visitor, pages.block);
    await waitForPart(page, 'start-button');
    expect((await widgetsOn(page)).elements).toEqual([{ server: stack!.tokenServerUrl, mode: 'inline', preset: 'default', name: 'Wendy', theme: 'auto' }]);
    expect(await page.$eval('equos-avatar', (element) => element.parentElement!.className)).toBe('wp-block-equos-avatar-inline');
    await page.close();
  }, 30_000);

  it('shortcode attributes are checked and escaped: no markup is injected, unknown ones are dropped', async () => {
    const { page } = await open(visitor, pages.hostile);
    await waitForPart(page, 'start-button');
    expect(await page.evaluate(() => (window as Window & { injected?: number }).injected)).toBeUndefined();
    expect(await page.$$eval('article script, article b', (found) => found.length)).toBe(0);
    const [mangled, parsed] = (await widgetsOn(page)).elements;
    expect(Object.keys(mangled!).every((name) => ['server', 'mode', 'preset', 'name', 'theme'].includes(name))).toBe(true);
    expect(mangled).toMatchObject({ server: stack!.tokenServerUrl, mode: 'inline', preset: 'short' });
    // Tags are stripped from the name and its quotes escaped (they stay in the value); the bad
    // preset falls back to the settings' one; `server`, `onclick` and the bad `locale` are dropped.
    expect(parsed).toEqual({ server: stack!.tokenServerUrl, mode: 'inline', preset: 'short', name: 'Ava "the" great" onmouseover="window.injected=3', theme: 'auto' });
    await page.close();
  }, 30_000);

  it('with the bubble off, only pages with a shortcode or block load the script, and without data-server', async () => {
    await site!.php(`return update_option( 'equos_avatar_settings', array_merge( get_option( 'equos_avatar_settings' ), array( 'floating' => false ) ) );`);
    const front = await open(visitor, '/');
    expect(await widgetsOn(front.page)).toEqual({ elements: [], scripts: [] });
    expect(widgetScriptRequested(front.requests)).toBe(false);
    await front.page.close();

    const shortcode = await open(visitor, pages.shortcode);
    await waitForPart(shortcode.page, 'start-button');
    const { elements, scripts } = await widgetsOn(shortcode.page);
    expect(scripts).toEqual([{ src: `${stack!.tokenServerUrl}/equos-avatar.js`, async: true, data: {} }]);
    expect(elements).toHaveLength(1);
    await shortcode.page.close();
    await site!.php(`return update_option( 'equos_avatar_settings', array_merge( get_option( 'equos_avatar_settings' ), array( 'floating' => true ) ) );`);
  }, 30_000);

  it('wp-admin never loads the widget, and the block editor knows the block', async () => {
    for (const path of ['/wp-admin/', '/wp-admin/options-general.php?page=equos-avatar', '/wp-admin/post-new.php?post_type=page']) {
      const { page, requests } = await open(owner, path);
      if (path.includes('post-new')) {
        // The editor script registered the block over the server's definition (block.json).
        const block = await page.waitForFunction(
          () => {
            const found = (window as Window & { wp?: { blocks?: { getBlockType(name: string): { title: string; attributes: object; edit?: unknown } | undefined } } }).wp?.blocks?.getBlockType('equos-avatar/inline');
            return found && { title: found.title, attributes: Object.keys(found.attributes), edit: typeof found.edit };
          },
          { timeout: 20_000 },
        );
        expect(await block.jsonValue()).toEqual({ title: 'Equos Avatar', attributes: expect.arrayContaining(['preset', 'name']), edit: 'function' });
      }
      expect(widgetScriptRequested(requests), path).toBe(false);
      expect(await widgetsOn(page), path).toEqual({ elements: [], scripts: [] });
      await page.close();
    }
  }, 60_000);

  it('deleting the plugin deletes its settings (uninstall.php)', async () => {
    expect(await site!.php(`return is_array( get_option( 'equos_avatar_settings' ) );`)).toBe(true);
    await site!.php(`
      deactivate_plugins( 'equos-avatar/equos-avatar.php' );
      uninstall_plugin( 'equos-avatar/equos-avatar.php' );
      return true;
    `);
    expect(await site!.php(`return get_option( 'equos_avatar_settings', 'deleted' );`)).toBe('deleted');
  });

  it('PHP logged nothing about the plugin (WP_DEBUG is on)', () => {
    const lines = site!.debugLog().split('\n').filter((line) => /equos/i.test(line));
    expect(lines).toEqual([]);
  });
});
