import { describe, expect, it } from 'vitest';
import { htmlComplexity, MAX_HTML_DEPTH, tooComplexToParse } from '../../renderer/src/features/mail/html-complexity';

// The linear pre-check that keeps Chromium's quadratic deep-nesting parse away from the renderer (issue #10
// item 2). It only estimates; what matters is that real mail passes and nesting attacks do not.
describe('HTML complexity estimate', () => {
  it('counts nesting of ordinary mail, ignoring void, self-closed and optional-end elements', () => {
    expect(htmlComplexity('<table><tr><td><p>a<p>b<br><img src=x><td>c</table>')).toEqual({ elements: 8, depth: 1 });
    expect(htmlComplexity('<div><div><span>x</span></div></div><div/>')).toEqual({ elements: 4, depth: 3 });
  });

  it('skips comments and the raw text of script, style and textarea', () => {
    expect(htmlComplexity('<!-- <div><div> --><style>div > p { }</style><script>"<div>"</script>').depth).toBe(0);
    expect(htmlComplexity('<STYLE>a{}</style><div>').depth).toBe(1);
  });

  it('refuses deep nesting and huge element counts, accepts a large newsletter', () => {
    expect(tooComplexToParse('<div><span>'.repeat(MAX_HTML_DEPTH))).toBe(true);
    expect(tooComplexToParse('<b>x</b>'.repeat(20_001))).toBe(true);
    const newsletter =
      '<table><tr><td><table><tr><td><p>Artikel</p><a href="https://x">mehr</a></td></tr></table></td></tr></table>';
    expect(tooComplexToParse(newsletter.repeat(1000))).toBe(false);
  });

  it('stays linear on a megabyte of tag starts, names and comment openers', () => {
    for (const html of ['<'.repeat(1 << 20), `<${'a'.repeat(1 << 20)}`, '<!--'.repeat(1 << 18), '</'.repeat(1 << 19)]) {
      const start = process.cpuUsage();
      htmlComplexity(html);
      const used = process.cpuUsage(start);
      expect((used.user + used.system) / 1000).toBeLessThan(1000);
    }
  });
});
