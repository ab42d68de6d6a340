/** The microphone's live input level, for the meter on the mic button. */

/** Reads a track's level on demand. */
export interface LevelMeter {
  /** 0 (silence) … 1 (loud). */
  level(): number;
  dispose(): void;
}

const SILENT: LevelMeter = { level: () => 0, dispose: () => {} };

/** Meters `track` on `context` (the one unlocked at the click); silent if either is missing. */
export function createLevelMeter(track: MediaStreamTrack | undefined, context: AudioContext | undefined): LevelMeter {
  if (!track || !context) return SILENT;
  try {
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 256;
    source.connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    return {
      level() {
        if (!track.enabled || track.readyState !== 'live') return 0;
        analyser.getByteTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += ((sample - 128) / 128) ** 2;
        // Speech RMS sits around 0.05–0.3; scale so a normal voice fills most of the meter.
        return Math.min(1, Math.sqrt(sum / samples.length) * 4);
      },
      dispose() {
        source.disconnect();
      },
    };
  } catch {
    return SILENT;
  }
}
