import { describe, expect, it } from 'vitest';
import { levelFromDbov, SpeakerTracker } from './speaker-tracker.js';

describe('SpeakerTracker', () => {
  it('reports a speaker active at once and inactive only after the hangover', () => {
    let now = 0;
    const tracker = new SpeakerTracker({ hangoverMs: 500, now: () => now });
    tracker.report('PA_a', 0.5);
    expect(tracker.update()).toEqual([{ sid: 'PA_a', level: 0.5, active: true }]);
    expect(tracker.update()).toEqual([]);
    now = 400;
    tracker.report('PA_a', 0.001);
    expect(tracker.update()).toEqual([]);
    now = 501;
    expect(tracker.update()).toEqual([{ sid: 'PA_a', level: 0, active: false }]);
  });

  it('never counts quiet audio as speech, and reports a leaving speaker inactive', () => {
    const tracker = new SpeakerTracker({ now: () => 0 });
    tracker.report('PA_quiet', 0.01);
    expect(tracker.update()).toEqual([]);
    tracker.report('PA_loud', 0.9);
    tracker.update();
    expect(tracker.active().map((speaker) => speaker.sid)).toEqual(['PA_loud']);
    expect(tracker.remove('PA_loud')).toEqual([{ sid: 'PA_loud', level: 0, active: false }]);
    expect(tracker.remove('PA_quiet')).toEqual([]);
  });

  it('maps RFC 6464 levels to 0…1', () => {
    expect(levelFromDbov(0)).toBe(1);
    expect(levelFromDbov(127)).toBeLessThan(0.001);
    expect(levelFromDbov(20)).toBeCloseTo(0.1);
  });
});
