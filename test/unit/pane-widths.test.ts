import { describe, expect, test } from 'vitest';
import { clampWidth, loadPaneWidths, savePaneWidths } from '../../renderer/src/ui/pane-widths';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

const limits = { folders: { min: 140, max: 400, initial: 190 }, list: { min: 260, max: 900, initial: 380 } };

describe('pane widths kept between runs', () => {
  test('saved widths come back; other panes keep theirs', () => {
    const storage = memoryStorage({ 'ratsdesk.paneWidths': JSON.stringify({ other: 77 }) });
    savePaneWidths({ folders: 250, list: 500 }, storage);
    expect(loadPaneWidths(limits, storage)).toEqual({ folders: 250, list: 500 });
    expect(JSON.parse(storage.getItem('ratsdesk.paneWidths')!)).toMatchObject({ other: 77 });
  });

  test('out-of-range, damaged or missing values fall back into the limits', () => {
    expect(
      loadPaneWidths(limits, memoryStorage({ 'ratsdesk.paneWidths': JSON.stringify({ folders: 5000, list: 'x' }) })),
    ).toEqual({ folders: 400, list: 380 });
    expect(loadPaneWidths(limits, memoryStorage({ 'ratsdesk.paneWidths': '{' }))).toEqual({ folders: 190, list: 380 });
    expect(loadPaneWidths(limits, memoryStorage())).toEqual({ folders: 190, list: 380 });
    expect(clampWidth(10.6, limits.folders)).toBe(140);
  });
});
