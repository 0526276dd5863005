// Loaded into a blank Chromium page by openRendererProbe: the renderer's mail sanitizers, as the app runs them.
export { cleanInlineStyle, cleanStyleSheet } from '../../../renderer/src/features/mail/mail-css';
export { linksInText, sanitizeMailHtml } from '../../../renderer/src/features/mail/sanitize-mail-html';
