/**
 * How many elements a mail's HTML has and how deep it nests, estimated in one linear pass before any parser
 * sees it. Chromium's own HTML parser takes quadratic time on deep nesting (every start tag walks the stack of
 * open elements: 20,000 unclosed <div>s, 220 KB, froze the renderer for 13 s, issue #10 item 2), and
 * DOMPurify's cost grows with the element count; a mail beyond the limits is shown as text instead.
 *
 * The estimate counts start tags that are not void, self-closed or of an element whose end tag is optional
 * (p, li, td, …: the parser closes them itself), less the matching end tags. It is not a parser and decides
 * nothing about safety — DOMPurify does that — only whether parsing is affordable.
 */

/** Far beyond real mail (Outlook's nested layout tables stay below 100) and far below a costly parse. */
export const MAX_HTML_DEPTH = 400;
/** A large newsletter has a few thousand elements. */
export const MAX_HTML_ELEMENTS = 20_000;

const VOID = new Set(
  'area base br col embed hr img input link meta source track wbr param keygen frame basefont bgsound image'.split(' '),
);
const OPTIONAL_END = new Set(
  'p li dt dd td th tr tbody thead tfoot option optgroup colgroup caption rb rt rp rtc html head body'.split(' '),
);
const RAW_TEXT = new Set('script style textarea title xmp iframe noembed noframes noscript plaintext'.split(' '));

function isNameChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d
  );
}

/** The index just past the end tag `</name` (any case) at or after `from`, or the end of the text. */
function afterEndTag(html: string, name: string, from: number): number {
  for (let i = html.indexOf('</', from); i >= 0; i = html.indexOf('</', i + 2)) {
    if (html.slice(i + 2, i + 2 + name.length).toLowerCase() === name) return i + 2 + name.length;
  }
  return html.length;
}

export interface HtmlComplexity {
  elements: number;
  depth: number;
}

export function htmlComplexity(html: string): HtmlComplexity {
  let elements = 0;
  let depth = 0;
  let maxDepth = 0;
  let i = html.indexOf('<');
  while (i >= 0) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end < 0) break;
      i = html.indexOf('<', end + 3);
      continue;
    }
    const closing = html[i + 1] === '/';
    const nameStart = closing ? i + 2 : i + 1;
    let j = nameStart;
    while (j < html.length && isNameChar(html.charCodeAt(j))) j++;
    const gt = j > nameStart ? html.indexOf('>', j) : -1;
    if (gt < 0) {
      i = j > nameStart ? -1 : html.indexOf('<', i + 1);
      continue;
    }
    const name = html.slice(nameStart, j).toLowerCase();
    const nests = !VOID.has(name) && !OPTIONAL_END.has(name);
    let next = gt + 1;
    if (closing) {
      if (nests && depth > 0) depth--;
    } else {
      elements++;
      if (RAW_TEXT.has(name)) next = afterEndTag(html, name, next);
      else if (nests && html[gt - 1] !== '/') maxDepth = Math.max(maxDepth, ++depth);
    }
    i = html.indexOf('<', next);
  }
  return { elements, depth: maxDepth };
}

/** Too deep or too big to parse in the renderer within a fraction of a second. */
export function tooComplexToParse(html: string): boolean {
  const c = htmlComplexity(html);
  return c.depth > MAX_HTML_DEPTH || c.elements > MAX_HTML_ELEMENTS;
}
