/**
 * Mail CSS made safe for the sandboxed mail frame, parsed by the browser's own CSS parser (a constructed
 * CSSStyleSheet: nothing is applied or fetched while parsing). What could fetch is removed — every value with
 * url(), image-set() and the like, @import, @font-face — and what is left is serialized again by the parser,
 * so no text of the mail reaches the frame unparsed. The frame still has the app's CSP as a second wall
 * (no remote images, fonts or styles).
 */

const FETCHING_VALUE = /url\s*\(|image-set\s*\(|image\s*\(|element\s*\(|cross-fade\s*\(|src\s*\(|expression\s*\(/i;
const MAX_CSS = 200_000;
const SHORTHAND_OF: Record<string, string> = {
  'background-image': 'background',
  'list-style-image': 'list-style',
  'border-image-source': 'border-image',
  'mask-image': 'mask',
  '-webkit-mask-image': '-webkit-mask',
};

/** Removes every declaration whose value could fetch; answers whether anything is left. */
function cleanDeclarations(style: CSSStyleDeclaration): boolean {
  const names: string[] = [];
  for (let i = 0; i < style.length; i++) names.push(style.item(i));
  for (const name of names) {
    if (FETCHING_VALUE.test(style.getPropertyValue(name)) || /^-moz-binding$|^behavior$/i.test(name)) {
      // With its shorthand: `background: url(x)` leaves no half-reset background-* longhands behind.
      style.removeProperty(SHORTHAND_OF[name] ?? name);
      style.removeProperty(name);
    }
  }
  return style.length > 0;
}

/** The rule as safe CSS text, or '' when nothing safe is left. Unknown rule kinds are dropped. */
function cleanRule(rule: CSSRule): string {
  if (rule instanceof CSSStyleRule) {
    const keepStyle = cleanDeclarations(rule.style);
    const nested = [...rule.cssRules].map(cleanRule).filter(Boolean);
    if (!keepStyle && nested.length === 0) return '';
    return `${rule.selectorText}{${keepStyle ? rule.style.cssText : ''}${nested.join('')}}`;
  }
  if (rule instanceof CSSMediaRule || rule instanceof CSSSupportsRule) {
    const inner = [...rule.cssRules].map(cleanRule).filter(Boolean);
    if (inner.length === 0) return '';
    const head = rule instanceof CSSMediaRule ? `@media ${rule.media.mediaText}` : `@supports ${rule.conditionText}`;
    return `${head}{${inner.join('')}}`;
  }
  if (rule instanceof CSSKeyframesRule) {
    const frames = [...rule.cssRules]
      .filter((f): f is CSSKeyframeRule => f instanceof CSSKeyframeRule)
      .map((f) => (cleanDeclarations(f.style) ? `${f.keyText}{${f.style.cssText}}` : ''))
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

/** A mail's <style> contents as safe CSS ('' when nothing is left). */
export function cleanStyleSheet(css: string): string {
  const sheet = parse(css);
  if (!sheet) return '';
  return [...sheet.cssRules]
    .map(cleanRule)
    .filter((text) => text && !FETCHING_VALUE.test(text) && !/@import|@font-face/i.test(text))
    .join('\n');
}

/**
 * An element's style attribute as safe declarations, marked !important ('' when nothing is left). Parsed
 * inside a rule of its own; text that tries to close that rule and start others is cut off by taking the
 * first rule only.
 */
export function cleanInlineStyle(declarations: string): string {
  const sheet = parse(`x{${declarations}}`);
  const first = sheet?.cssRules[0];
  if (!(first instanceof CSSStyleRule) || !cleanDeclarations(first.style)) return '';
  // As a rule on a marker attribute it must still win over the mail's stylesheet, as a style attribute does.
  const style = first.style;
  for (let i = 0; i < style.length; i++) {
    const name = style.item(i);
    style.setProperty(name, style.getPropertyValue(name), 'important');
  }
  const text = style.cssText;
  return FETCHING_VALUE.test(text) ? '' : text;
}

/** A stylesheet as a data: URL for a <link> in the mail frame (the app's CSP allows data: styles only). */
export function styleSheetDataUrl(css: string): string {
  const bytes = new TextEncoder().encode(css);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:text/css;base64,${btoa(binary)}`;
}
