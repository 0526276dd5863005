/**
 * The mail area's icons, drawn inline (16×16, currentColor): emoji and symbol glyphs are missing from
 * the fonts many Linux desktops ship, and an icon font would be one more thing to load. Always beside a
 * text label or a hidden text, so they are decoration (aria-hidden).
 */
const PATHS: Readonly<Record<string, string>> = {
  new: 'M3 3h7M3 6h5M3 13h10V8M11 2l3 3-5 5H6V7z',
  reply: 'M6 4 2 8l4 4M2 8h7a5 5 0 0 1 5 5',
  replyAll: 'M8 4 4 8l4 4M4 8h5a5 5 0 0 1 5 5M5 4 1 8l4 4',
  forward: 'M10 4l4 4-4 4M14 8H7a5 5 0 0 0-5 5',
  move: 'M1.5 4.5h5l1 1.5h7v7.5h-13zM6 10h5M9 8l2 2-2 2',
  archive: 'M1.5 2.5h13v3h-13zM2.5 5.5v8h11v-8M6 8.5h4',
  delete: 'M2 4h12M6 4V2h4v2M3.5 4l1 10h7l1-10M6.5 7v5M9.5 7v5',
  read: 'M1.5 3.5h13v9h-13zM1.5 3.5 8 9l6.5-5.5',
  flag: 'M3 15V2M3 2.5h9l-2 3 2 3H3',
  more: 'M3 8h.01M8 8h.01M13 8h.01',
  attachment: 'M11.5 4.5v6.25a3.5 3.5 0 0 1-7 0V4a2.25 2.25 0 0 1 4.5 0v6.5a1 1 0 0 1-2 0V5',
  answered: 'M6 4 2 8l4 4M2 8h7a5 5 0 0 1 5 5',
  forwarded: 'M10 4l4 4-4 4M14 8H7a5 5 0 0 0-5 5',
  unread: 'M8 8h.01',
  layout: 'M1.5 2.5h13v11h-13zM1.5 8.5h13',
};

export function MailIcon({ name, className }: { name: string; className?: string }) {
  const d = PATHS[name];
  if (!d) return null;
  return (
    <svg
      className={`mail-icon${className ? ` ${className}` : ''}`}
      width="16"
      height="16"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth={name === 'unread' ? 6 : name === 'more' ? 3 : 1.4}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
