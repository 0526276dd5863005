import { request } from 'node:https';
import { tlsOptions, type TlsTrust } from './imap-connection';

const MAX_REMOTE_IMAGE = 5 * 1024 * 1024;

/**
 * GET one https image for a message whose remote content the person allowed: certificates verified, no
 * redirects, images only, at most 5 MB, as a data: URL; null when it is not a usable image.
 */
export function fetchRemoteImage(url: string, trust: TlsTrust | undefined): Promise<string | null> {
  const target = new URL(url);
  if (target.protocol !== 'https:') return Promise.resolve(null);
  return new Promise((resolve) => {
    const req = request(
      target,
      { method: 'GET', ...tlsOptions(target.hostname, trust), timeout: 10_000, headers: { accept: 'image/*' } },
      (res) => {
        const type = String(res.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        if (res.statusCode !== 200 || !/^image\/(png|jpeg|gif|webp|bmp|x-icon)$/.test(type)) {
          res.resume();
          resolve(null);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_REMOTE_IMAGE) {
            req.destroy();
            resolve(null);
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve(`data:${type};base64,${Buffer.concat(chunks).toString('base64')}`));
        res.on('error', () => resolve(null));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}
