import type { Locator } from 'playwright-core';

/** How many pixels of a rendered canvas are not (near) white, and how many it has: proof a page was drawn. */
export function inkedPixels(canvas: Locator): Promise<{ n: number; total: number }> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    if (data)
      for (let i = 0; i < data.length; i += 4)
        if ((data[i] ?? 255) < 240 || (data[i + 1] ?? 255) < 240 || (data[i + 2] ?? 255) < 240) n++;
    return { n, total: c.width * c.height };
  });
}
