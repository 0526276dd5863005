#!/usr/bin/env node
// Rasterises the shapes of build/icon.svg into build/icon.png (1024×1024 RGBA) with node:zlib only.
// electron-builder derives .ico (Windows) and .icns (macOS) from this PNG.
import { crc32, deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const size = 1024;
const bg = [0x1f, 0x4e, 0x79, 255];
const fg = [255, 255, 255, 255];
const rects = [
  [240, 430, 544, 40],
  [280, 490, 80, 250],
  [412, 490, 80, 250],
  [532, 490, 80, 250],
  [664, 490, 80, 250],
  [220, 760, 584, 60],
];
function inTile(x, y) {
  const r = 192,
    x0 = 64,
    y0 = 64,
    x1 = 960,
    y1 = 960;
  if (x < x0 || x >= x1 || y < y0 || y >= y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r),
    cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function inRoof(x, y) {
  if (y < 200 || y > 400) return false;
  const half = ((y - 200) / 200) * 308;
  return Math.abs(x - 512) <= half;
}
function pixel(x, y) {
  if (!inTile(x, y)) return [0, 0, 0, 0];
  if (inRoof(x, y) || rects.some(([rx, ry, w, h]) => x >= rx && x < rx + w && y >= ry && y < ry + h)) return fg;
  return bg;
}
const raw = Buffer.alloc((size * 4 + 1) * size);
for (let y = 0; y < size; y++) {
  raw[y * (size * 4 + 1)] = 0;
  for (let x = 0; x < size; x++) Buffer.from(pixel(x + 0.5, y + 0.5)).copy(raw, y * (size * 4 + 1) + 1 + x * 4);
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'icon.png'), png);
console.log(`build/icon.png written (${png.length} bytes)`);
