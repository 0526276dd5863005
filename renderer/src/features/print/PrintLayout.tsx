import { useTranslation } from 'react-i18next';
import type { MailAddress } from '../../../../electron/contract/mail-sync';
import { formatDateTime } from '../../i18n/locale-format';
import { useMail } from '../mail/mail-store';
import { usePrint } from './print-store';
import './print.css';

function addresses(list: readonly MailAddress[]): string {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

/**
 * What goes to paper; invisible on screen (print.css). A document job prints its chosen pages; otherwise
 * the open mail prints as a header block (Von, An, Cc, Datum, Betreff) and its text — never its HTML, so
 * no remote content and nothing of the app around it (toolbar, lists) is on the page.
 */
export function PrintLayout() {
  const { t, i18n } = useTranslation();
  const job = usePrint((s) => s.job);
  const open = useMail((s) => s.open);
  if (job) {
    return (
      <div className="print-root" aria-hidden="true">
        {job.pages.map((src, i) => (
          <img key={src} className="print-page" src={src} alt={t('print.page', { page: i + 1 })} />
        ))}
      </div>
    );
  }
  if (!open) return <div className="print-root" aria-hidden="true" />;
  const m = open.item;
  const date = formatDateTime(m.date, i18n.language);
  return (
    <div className="print-root" aria-hidden="true">
      <article className="print-mail">
        <dl className="print-headers">
          <dt>{t('print.from')}</dt>
          <dd>{addresses([m.from])}</dd>
          <dt>{t('print.to')}</dt>
          <dd>{addresses(m.to)}</dd>
          {m.cc.length > 0 && (
            <>
              <dt>{t('print.cc')}</dt>
              <dd>{addresses(m.cc)}</dd>
            </>
          )}
          <dt>{t('print.date')}</dt>
          <dd>{date}</dd>
          <dt>{t('print.subject')}</dt>
          <dd>{m.subject}</dd>
        </dl>
        <div className="print-body">{open.read?.text ?? ''}</div>
        {open.read && open.read.attachments.length > 0 && (
          <p className="print-attachments">
            {t('print.attachments')}: {open.read.attachments.map((a) => a.filename).join(', ')}
          </p>
        )}
      </article>
    </div>
  );
}
