/**
 * The renderer's Content Security Policy: scripts only from the app itself, no inline script, no
 * eval, no remote content of any kind. Mail HTML is shown in a sandboxed srcdoc frame (frame-src 'self'
 * is not needed for srcdoc; about:srcdoc inherits this policy). Styles may also come as data: URLs: the
 * mail frame's one stylesheet, re-parsed and cleaned of everything that fetches (renderer mail-css.ts);
 * inline styles and <style> elements stay blocked.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' data:",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'self'",
  "child-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
