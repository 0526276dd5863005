import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InlineImage } from '../../../../electron/contract/mail-reader';
import { api } from '../../ratsdesk-api';
import { linksInText, sanitizeMailHtml } from './sanitize-mail-html';

interface Props {
  messageId: number;
  html: string;
  /** The message's text part: shown instead when the HTML is too complex to parse (html-complexity.ts). */
  text: string;
  /** The message's own images (`cid:`), resolved by the reader service: shown without asking. */
  inlineImages: readonly InlineImage[];
  onLinks(links: string[]): void;
}

const MAX_REMOTE_IMAGES = 50;

/**
 * Mail HTML in a frame with an empty sandbox (no scripts, forms, popups, same-origin or navigation of the
 * app), sanitized with DOMPurify first. The message's own images appear at once; remote images only after
 * "load remote content" for this message (there is no "always for this sender": the From line is whatever
 * the sender wrote): the main process fetches them and they enter the frame as data: URLs, so the frame
 * itself never fetches.
 */
export function MailHtmlFrame({ messageId, html, text, inlineImages, onLinks }: Props) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<ReadonlyMap<string, string>>(new Map());
  const [loading, setLoading] = useState(false);
  const inline = useMemo(() => new Map(inlineImages.map((i) => [i.contentId, i.dataUrl])), [inlineImages]);
  const clean = useMemo(
    () => sanitizeMailHtml(html, { loadedImages: loaded, inlineImages: inline }),
    [html, loaded, inline],
  );

  const links = useMemo(() => (clean.tooComplex ? linksInText(text) : clean.links), [clean, text]);
  useEffect(() => onLinks(links), [links, onLinks]);

  async function loadRemote() {
    setLoading(true);
    const next = new Map(loaded);
    for (const url of clean.remoteImages.slice(0, MAX_REMOTE_IMAGES)) {
      const r = await api().mailReader.remoteImage({ id: messageId, url });
      if (r.ok && r.value.dataUrl) next.set(url, r.value.dataUrl);
    }
    setLoaded(next);
    setLoading(false);
  }

  if (clean.tooComplex) {
    return (
      <div className="mail-html">
        <div className="remote-notice" role="note">
          <span>{t('mail.reader.tooComplex')}</span>
        </div>
        <pre className="mail-text">{text}</pre>
      </div>
    );
  }

  return (
    <div className="mail-html">
      {clean.blockedCount > 0 && (
        <div className="remote-notice" role="note" data-blocked={clean.blockedCount}>
          <span>{t('mail.reader.remoteBlocked', { count: clean.blockedCount })}</span>
          {clean.remoteImages.length > 0 && (
            <button type="button" disabled={loading} onClick={() => void loadRemote()}>
              {t('mail.reader.loadRemote')}
            </button>
          )}
        </div>
      )}
      <iframe
        className="mail-frame"
        title={t('mail.reader.htmlFrame')}
        sandbox=""
        srcDoc={clean.document}
        referrerPolicy="no-referrer"
      />
    </div>
  );
}
