import { describe, expect, it } from 'vitest';
import { readPublicPresets } from './token-server-api.js';

describe('readPublicPresets', () => {
  it('keeps the resized sizes of a preset, and drops bad ones rather than the preset', () => {
    const good = { url: 'api/presets/ava/thumbnail?w=64', width: 64 };
    expect(
      readPublicPresets([
        { name: 'ava', display_name: 'Ava', thumbnail_url: 'api/presets/ava/thumbnail?w=128', thumbnails: [good, { url: '', width: 128 }, { url: 'x', width: 1.5 }, { url: 'y', width: -1 }, 'z', null, { url: 'w' }] },
        { name: 'bo', display_name: 'Bo', thumbnails: 'api/presets/bo/thumbnail' },
        { name: 'cy', display_name: 'Cy', thumbnails: [{ url: 'api/presets/cy/thumbnail?w=64', width: 64, extra: true }] },
        { name: 'old', display_name: 'Old', thumbnail_url: 'https://cdn.example/old.png' },
        { name: '', display_name: 'Nameless' },
      ]),
    ).toEqual([
      { name: 'ava', display_name: 'Ava', thumbnail_url: 'api/presets/ava/thumbnail?w=128', thumbnails: [good] },
      { name: 'bo', display_name: 'Bo' },
      { name: 'cy', display_name: 'Cy', thumbnails: [{ url: 'api/presets/cy/thumbnail?w=64', width: 64 }] },
      { name: 'old', display_name: 'Old', thumbnail_url: 'https://cdn.example/old.png' },
    ]);
    expect(readPublicPresets({})).toBeUndefined();
  });
});
