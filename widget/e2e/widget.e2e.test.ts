/**
 * End to end: the example pages, served by the real token server, in headless Chromium with
 * a fake camera and microphone, against the Equos double, the LiveKit-protocol sandbox and
 * the demo avatar. Nothing is faked: the visitor clicks, the avatar answers.
 *
 * Screenshots land in test-output/screenshots/ (look at them: they must look like a product).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { puppeteerCore } from '@web/test-runner-chrome';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRoom } from '../../sandbox/control/room-report.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../sandbox/testing/chromium.js';
import { startTestStack, type TestStack } from '../../testing/stack.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SCREENSHOTS = `${ROOT}test-output/screenshots`;
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  execFileSync(process.execPath, [`${ROOT}scripts/build.mjs`], { stdio: 'ignore' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  stack = await startTestStack();
  browser = await puppeteerCore.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function open(path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${stack.tokenServerUrl}${path}`, { waitUntil: 'networkidle0' });
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

const part = (page: Page, name: string) => page.waitForSelector(`pierce/[part~="${name}"]`, { timeout: 10_000 });

/** The widget's state (and session id) as seen from the page. */
const widget = (page: Page) =>
  page.evaluate(() => {
    const element = document.querySelector('equos-avatar') as HTMLElement & { state: { name: string; session?: { session_id: string } } };
    const text = (name: string) => element.shadowRoot!.querySelector(`[part~="${name}"]`)?.textContent?.trim();
    return { state: element.state.name, sessionId: element.state.session?.session_id, status: text('status'), message: text('message') };
  });

async function until<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Video frames presented in `ms`, and the video's size. */
const videoProgress = (page: Page, ms = 1000) =>
  page.evaluate(async (duration) => {
    const root = document.querySelector('equos-avatar')!.shadowRoot!;
    while (!root.querySelector('video')) await new Promise((resolve) => setTimeout(resolve, 20));
    const video = root.querySelector('video')!;
    let frames = 0;
    const count = () => {
      frames += 1;
      video.requestVideoFrameCallback(count);
    };
    video.requestVideoFrameCallback(count);
    await new Promise((resolve) => setTimeout(resolve, duration));
    return { width: video.videoWidth, height: video.videoHeight, frames };
  }, ms);

/** The loudest RMS of the avatar's voice over `ms`, measured on the audio element's stream. */
const audioLoudness = (page: Page, ms = 1500) =>
  page.evaluate(async (duration) => {
    const audio = document.querySelector('equos-avatar')!.shadowRoot!.querySelector('audio')!;
    const stream = audio.srcObject as MediaStream;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let loudest = 0;
    const started = performance.now();
    while (performance.now() - started < duration) {
      analyser.getFloatTimeDomainData(samples);
      loudest = Math.max(loudest, Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await context.close();
    return { loudest, paused: audio.paused, tracks: stream.getAudioTracks().length };
  }, ms);

/** The visitor's microphone track at the sandbox. */
function visitorMicrophone(sessionId: string) {
  const room = stack.sandbox.livekit.rooms.get(sessionId);
  return room ? reportRoom(room).participants.find((participant) => participant.kind === 'STANDARD')?.tracks[0] : undefined;
}

const stopsOf = (sessionId: string) => stack.sandbox.api.state.callsTo('stop', sessionId).length;

/** Clicks the launcher, then Start, and returns the milliseconds from that click to the first avatar frame. */
async function startConversation(page: Page): Promise<number> {
  await (await part(page, 'launcher'))!.click();
  await part(page, 'start-button');
  return page.evaluate(async () => {
    const root = document.querySelector('equos-avatar')!.shadowRoot!;
    const clicked = performance.now();
    (root.querySelector('[part~="start-button"]') as HTMLButtonElement).click();
    const video = await new Promise<HTMLVideoElement>((resolve) => {
      const look = () => {
        const found = root.querySelector('video');
        if (found) resolve(found);
        else setTimeout(look, 10);
      };
      look();
    });
    await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
    return performance.now() - clicked;
  });
}

describe('widget end to end', () => {
  it('one-line bubble: a real conversation from the click to the hang-up', async () => {
    const page = await open('/examples/one-line-bubble.html');
    await part(page, 'launcher');
    await page.screenshot({ path: `${SCREENSHOTS}/launcher.png` });

    const clickToFirstFrameMs = await startConversation(page);
    const { sessionId } = await until(() => widget(page), (value) => value.state === 'live');
    expect(sessionId).toMatch(/^ses_/);

    const video = await videoProgress(page);
    expect(video.width).toBeGreaterThan(0);
    expect(video.frames).toBeGreaterThan(15);

    const audio = await audioLoudness(page);
    expect(audio).toMatchObject({ paused: false, tracks: 1 });
    expect(audio.loudest).toBeGreaterThan(0.01);

    const first = await until(() => visitorMicrophone(sessionId!), (track) => (track?.packets ?? 0) > 50);
    expect(first).toMatchObject({ source: 'MICROPHONE', muted: false });
    await page.screenshot({ path: `${SCREENSHOTS}/live-light.png` });

    await (await part(page, 'mic-button'))!.click();
    const muted = await until(() => visitorMicrophone(sessionId!), (track) => track?.muted === true, 5000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(visitorMicrophone(sessionId!)!.packets - muted!.packets).toBeLessThan(5);
    await (await part(page, 'mic-button'))!.click();
    const unmuted = await until(() => visitorMicrophone(sessionId!), (track) => track?.muted === false, 5000);
    await until(() => visitorMicrophone(sessionId!), (track) => (track?.packets ?? 0) > unmuted!.packets + 20, 5000);

    await (await part(page, 'hangup-button'))!.click();
    await until(() => widget(page), (value) => value.state === 'ended');
    await until(() => stack.sandbox.livekit.rooms.get(sessionId!), (room) => room === undefined, 5000);
    expect(stopsOf(sessionId!)).toBe(1);
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    writeFileSync(`${ROOT}test-output/click-to-first-frame.json`, JSON.stringify({ clickToFirstFrameMs: Math.round(clickToFirstFrameMs) }));
    await page.close();
  }, 60_000);

  it('JS API page: the page drives the widget and logs its events (dark theme)', async () => {
    const page = await open('/examples/js-api.html');
    await part(page, 'launcher');
    await page.click('#talk');
    const { sessionId } = await until(() => widget(page), (value) => value.state === 'live');
    await videoProgress(page, 1500);
    await page.screenshot({ path: `${SCREENSHOTS}/live-dark.png` });
    await page.click('#hangup');
    await until(() => widget(page), (value) => value.state === 'ended');
    const log = await page.$eval('#log', (element) => element.textContent ?? '');
    expect(log).toContain(`equos-session-start {"sessionId":"${sessionId}"}`);
    expect(log).toMatch(/equos-state-change \{"from":"waiting-for-avatar","to":"live"\}|equos-state-change \{"from":"connecting","to":"live"\}/);
    expect(log).toContain('equos-session-end');
    expect(stopsOf(sessionId!)).toBe(1);
    await page.close();
  }, 60_000);

  it('inline embed: a conversation inside the page section', async () => {
    const page = await open('/examples/inline-embed.html');
    await (await part(page, 'start-button'))!.click();
    const { sessionId } = await until(() => widget(page), (value) => value.state === 'live');
    expect((await videoProgress(page)).frames).toBeGreaterThan(10);
    await page.screenshot({ path: `${SCREENSHOTS}/inline.png` });
    await (await part(page, 'hangup-button'))!.click();
    await until(() => stopsOf(sessionId!), (stops) => stops === 1, 5000);
    await page.close();
  }, 60_000);

  it('closing the tab mid-session stops the session by beacon', async () => {
    const page = await open('/examples/one-line-bubble.html');
    await startConversation(page);
    const { sessionId } = await until(() => widget(page), (value) => value.state === 'live');
    await page.close({ runBeforeUnload: true });
    await until(() => stopsOf(sessionId!), (stops) => stops >= 1, 5000);
    await until(() => stack.sandbox.livekit.rooms.get(sessionId!), (room) => room === undefined, 5000);
  }, 60_000);

  it('an avatar that never joins ends the session with the right words', async () => {
    stack.sandbox.scenarios.enqueue({ avatar: { joinDelayMs: 0, never: true } });
    const page = await open('/examples/one-line-bubble.html');
    await page.evaluate(() => document.querySelector('equos-avatar')!.setAttribute('avatar-timeout', '3'));
    await (await part(page, 'launcher'))!.click();
    await (await part(page, 'start-button'))!.click();
    const sessionId = (await until(() => widget(page), (value) => value.state === 'waiting-for-avatar')).sessionId!;
    const ended = await until(() => widget(page), (value) => value.state === 'error', 10_000);
    expect(ended.message).toBe('Ava could not join, so the conversation was ended. Please try again.');
    expect(stopsOf(sessionId)).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/error-avatar-timeout.png` });
    await page.close();
  }, 60_000);

  it('an avatar that leaves ends the session with the right words', async () => {
    stack.sandbox.scenarios.enqueue({ avatar: { joinDelayMs: 0, leaveAfterMs: 4000 } });
    const page = await open('/examples/one-line-bubble.html');
    await startConversation(page);
    const { sessionId } = await until(() => widget(page), (value) => value.state === 'live');
    const ended = await until(() => widget(page), (value) => value.state === 'ended', 10_000);
    expect(ended.message).toBe('Ava left the conversation.');
    expect(stopsOf(sessionId!)).toBe(1);
    await page.close();
  }, 60_000);

  it('phones: the open panel takes the whole screen', async () => {
    const page = await open('/examples/one-line-bubble.html', { width: 390, height: 844 });
    await (await part(page, 'launcher'))!.click();
    await new Promise((resolve) => setTimeout(resolve, 400)); // the opening animation
    const box = await (await part(page, 'panel'))!.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    const start = await (await part(page, 'start-button'))!.boundingBox();
    expect(start!.height).toBeGreaterThanOrEqual(48);
    await page.screenshot({ path: `${SCREENSHOTS}/phone-panel.png` });
    await page.close();
  }, 30_000);

  it('honours prefers-reduced-motion', async () => {
    const page = await browser.newPage();
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
    await page.goto(`${stack.tokenServerUrl}/examples/one-line-bubble.html`, { waitUntil: 'networkidle0' });
    await (await part(page, 'launcher'))!.click();
    const animation = await (await part(page, 'panel'))!.evaluate((panel) => getComputedStyle(panel).animationName);
    expect(animation).toBe('none');
    await page.close();
  }, 30_000);

  it('the demo page (npm start) has the bubble', async () => {
    const page = await open('/');
    expect(await (await part(page, 'launcher'))!.evaluate((element) => element.getAttribute('aria-label'))).toBe('Talk to Ava');
    await page.close();
  }, 30_000);
});
