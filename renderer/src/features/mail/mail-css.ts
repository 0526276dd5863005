/**
 * Mail CSS made safe for the sandboxed mail frame, parsed by the browser's own CSS parser (a constructed
 * CSSStyleSheet: nothing is applied or fetched while parsing). What could fetch is removed — every value with
 * url(), image-set() and the like, @import, @font-face — and what is left is serialized again by the parser,
 * so no text of the mail reaches the frame unparsed. The frame still has the app's CSP as a second wall
 * (no remote images, fonts or styles).
 *
 * What the filter cannot see through is dropped too (issue #10 item 9): custom properties (`--x`) and every
 * value with var() — a var() is resolved only when the style is applied, so `background:var(--x, \75 rl(…))`
 * carries a fetch past any text check — and every value with a backslash, since a CSS escape can spell any
 * word the filter looks for. Mail layouts do not need either.
 */

const FETCHING_VALUE = /url\s*\(|image-set\s*\(|image\s*\(|element\s*\(|cross-fade\s*\(|src\s*\(|expression\s*\(/i;
const HIDES_FETCH = /\\|var\s*\(/i;
const MAX_CSS = 200_000;
const SHORTHAND_OF: Record<string, string> = {
  'background-image': 'background',
  'list-style-image': 'list-style',
  'border-image-source': 'border-image',
  'mask-image': 'mask',
  '-webkit-mask-image': '-webkit-mask',
};

/** What cleaning removed that could have fetched (for the "remote content blocked" notice). */
interface Removed {
  count: number;
}

function couldFetch(name: string, value: string): boolean {
  return (
    name.startsWith('--') ||
    FETCHING_VALUE.test(value) ||
    HIDES_FETCH.test(value) ||
    /^-moz-binding$|^behavior$/i.test(name)
  );
}

/** Removes every declaration whose value could fetch (or hide a fetch); answers whether anything is left. */
function cleanDeclarations(style: CSSStyleDeclaration, removed: Removed): boolean {
  const names: string[] = [];
  for (let i = 0; i < style.length; i++) names.push(style.item(i));
  for (const name of names) {
    const value = style.getPropertyValue(name);
    // A longhand set by a shorthand with var() reads as '' (its value is known only after substitution).
    if (value === '' || couldFetch(name, value)) {
      // With its shorthand: `background: url(x)` leaves no half-reset background-* longhands behind.
      style.removeProperty(SHORTHAND_OF[name] ?? name);
      style.removeProperty(name);
      removed.count++;
    }
  }
  return style.length > 0;
}

/** The rule as safe CSS text, or '' when nothing safe is left. Unknown rule kinds are dropped. */
/** Mail CSS nests a few levels (@media around rules); deeper nesting is dropped, not recursed into. */
const MAX_RULE_DEPTH = 16;

function cleanRule(rule: CSSRule, removed: Removed, depth = 0): string {
  if (depth > MAX_RULE_DEPTH) return '';
  if (rule instanceof CSSStyleRule) {
    const keepStyle = cleanDeclarations(rule.style, removed);
    const nested = [...rule.cssRules].map((r) => cleanRule(r, removed, depth + 1)).filter(Boolean);
    if (!keepStyle && nested.length === 0) return '';
    return `${rule.selectorText}{${keepStyle ? rule.style.cssText : ''}${nested.join('')}}`;
  }
  if (rule instanceof CSSMediaRule || rule instanceof CSSSupportsRule) {
    const inner = [...rule.cssRules].map((r) => cleanRule(r, removed, depth + 1)).filter(Boolean);
    if (inner.length === 0) return '';
    const head = rule instanceof CSSMediaRule ? `@media ${rule.media.mediaText}` : `@supports ${rule.conditionText}`;
    return `${head}{${inner.join('')}}`;
  }
  if (rule instanceof CSSKeyframesRule) {
    const frames = [...rule.cssRules]
      .filter((f): f is CSSKeyframeRule => f instanceof CSSKeyframeRule)
      .map((f) => (cleanDeclarations(f.style, removed) ? `${f.keyText}{${f.style.cssText}}` : ''))
      .filter(Boolean);
    return frames.length ? `@keyframes ${CSS.escape(rule.name)}{${frames.join('')}}` : '';
  }
  return '';
}

function parse(css: string): CSSStyleSheet | undefined {
  const sheet = new CSSStyleSheet();
  try {
    // replaceSync never loads anything (an @import in it is ignored).
    sheet.replaceSync(css.slice(0, MAX_CSS));
    return sheet;
  } catch {
    return undefined;
  }
}

/** Cleaned CSS, and how many declarations or rules that could fetch were removed. */
export interface CleanedCss {
  css: string;
  removed: number;
}

/**
 * A re-serialized rule is dropped whole when it still shows any sign of a fetch, or a backslash or var() anywhere
 * (an escaped selector or keyframes name is rare in mail, and the frame's CSS then never holds an escape at all).
 */
function stillFetches(text: string): boolean {
  return FETCHING_VALUE.test(text) || HIDES_FETCH.test(text) || /@import|@font-face/i.test(text);
}

/** A mail's <style> contents as safe CSS ('' when nothing is left). */
export function cleanStyleSheet(css: string): CleanedCss {
  const sheet = parse(css);
  if (!sheet) return { css: '', removed: 0 };
  const removed: Removed = { count: 0 };
  const rules = [...sheet.cssRules].map((r) => cleanRule(r, removed)).filter(Boolean);
  const kept = rules.filter((text) => !stillFetches(text));
  return { css: kept.join('\n'), removed: removed.count + rules.length - kept.length };
}

/**
 * An element's style attribute as safe declarations, marked !important ('' when nothing is left). Parsed
 * inside a rule of its own; text that tries to close that rule and start others is cut off by taking the
 * first rule only.
 */
export function cleanInlineStyle(declarations: string): CleanedCss {
  const sheet = parse(`x{${declarations}}`);
  const first = sheet?.cssRules[0];
  const removed: Removed = { count: 0 };
  if (!(first instanceof CSSStyleRule) || !cleanDeclarations(first.style, removed)) {
    return { css: '', removed: removed.count };
  }
  // As a rule on a marker attribute it must still win over the mail's stylesheet, as a style attribute does.
  const style = first.style;
  for (let i = 0; i < style.length; i++) {
    const name = style.item(i);
    style.setProperty(name, style.getPropertyValue(name), 'important');
  }
  const text = style.cssText;
  return stillFetches(text) ? { css: '', removed: removed.count + 1 } : { css: text, removed: removed.count };
}

/** A stylesheet as a data: URL for a <link> in the mail frame (the app's CSP allows data: styles only). */
export function styleSheetDataUrl(css: string): string {
  const bytes = new TextEncoder().encode(css);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:text/css;base64,${btoa(binary)}`;
}
