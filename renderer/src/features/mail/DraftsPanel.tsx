import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboxItemInfo } from '../../../../electron/contract/compose';
import { formatDateTime } from '../../i18n/locale-format';
import { useMail } from './mail-store';
import { useModalDialog } from '../../ui/use-modal-dialog';

/** Outbox items still waiting for the SMTP server (submitted ones only wait to be filed in Sent). */
export function waitingItems(outbox: readonly OutboxItemInfo[]): OutboxItemInfo[] {
  return outbox.filter((i) => i.state === 'queued' || i.state === 'sending' || i.state === 'failed');
}

/**
 * Saved drafts (vault; their copy in the Drafts folder follows) and the outbox, in a modal dialog (key d).
 * A draft opens again in the compose dialog; an unsent outbox item shows its state and why it waits.
 */
export function DraftsPanel() {
  const { t, i18n } = useTranslation();
  const open = useMail((s) => s.draftsOpen);
  const drafts = useMail((s) => s.drafts);
  const outbox = useMail((s) => s.outbox);
  const online = useMail((s) => s.connection.state === 'online');
  const { setDraftsPanel, openDraft, deleteDraft, cancelOutboxItem, retryOutboxItem } = useMail.getState();
  const ref = useRef<HTMLDialogElement>(null);
  const unsent = outbox.filter((i) => i.state !== 'sent');

  useModalDialog(ref, open);

  const when = (iso: string) => formatDateTime(iso, i18n.language) || iso;

  return (
    <dialog ref={ref} className="drafts-dialog" aria-labelledby="drafts-heading" onClose={() => setDraftsPanel(false)}>
      <h2 id="drafts-heading">{t('mail.drafts.heading')}</h2>
      <section aria-labelledby="drafts-list-heading">
        <h3 id="drafts-list-heading">{t('mail.drafts.listHeading')}</h3>
        {drafts === undefined ? (
          <p role="status">{t('mail.drafts.loading')}</p>
        ) : drafts.length === 0 ? (
          <p>{t('mail.drafts.none')}</p>
        ) : (
          <ul className="drafts-list">
            {drafts.map((d) => {
              const subject = d.subject || t('mail.noSubject');
              return (
                <li key={d.id} data-draft-id={d.id}>
                  <span className="draft-subject">{subject}</span>{' '}
                  <span className="muted">
                    {d.to.length > 0 ? t('mail.drafts.to', { to: d.to.join(', ') }) : t('mail.drafts.noRecipient')}
                    {' · '}
                    <time dateTime={d.updatedAt}>{when(d.updatedAt)}</time>
                    {' · '}
                    {d.syncedToServer ? t('mail.drafts.onServer') : t('mail.drafts.localOnly')}
                  </span>{' '}
                  <button
                    type="button"
                    aria-label={t('mail.drafts.openNamed', { subject })}
                    onClick={() => void openDraft(d.id)}
                  >
                    {t('mail.drafts.open')}
                  </button>{' '}
                  <button
                    type="button"
                    aria-label={t('mail.drafts.deleteNamed', { subject })}
                    onClick={() => void deleteDraft(d.id)}
                  >
                    {t('mail.drafts.delete')}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="outbox-list-heading">
        <h3 id="outbox-list-heading">{t('mail.outbox.heading')}</h3>
        {unsent.length === 0 ? (
          <p>{t('mail.outbox.empty')}</p>
        ) : (
          <ul className="outbox-list">
            {unsent.map((item) => {
              const subject = item.subject || t('mail.noSubject');
              return (
                <li key={item.id} data-outbox-state={item.state}>
                  <span className="draft-subject">{subject}</span>{' '}
                  <span className="muted">
                    {item.bccCopyFor
                      ? t('mail.outbox.bccCopy', { to: item.bccCopyFor })
                      : t('mail.drafts.to', { to: item.to.join(', ') })}
                  </span>
                  <br />
                  <span className="outbox-state">{t(`mail.outbox.state.${item.state}`)}</span>
                  {' – '}
                  <span className="outbox-reason">{outboxReason(item, online, t)}</span>
                  {item.state === 'failed' && (
                    <>
                      {' '}
                      <button
                        type="button"
                        aria-label={t('mail.outbox.retryNamed', { subject })}
                        onClick={() => void retryOutboxItem(item.id)}
                      >
                        {t('mail.outbox.retry')}
                      </button>
                    </>
                  )}
                  {(item.state === 'queued' || item.state === 'failed') && (
                    <>
                      {' '}
                      <button
                        type="button"
                        aria-label={t('mail.outbox.cancelNamed', { subject })}
                        onClick={() => void cancelOutboxItem(item.id)}
                      >
                        {t('mail.outbox.cancel')}
                      </button>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <button type="button" onClick={() => setDraftsPanel(false)} autoFocus>
        {t('mail.drafts.close')}
      </button>
    </dialog>
  );
}

/** Why an outbox item has not been sent: its last error as a sentence, no connection, or in progress. */
export function outboxReason(
  item: OutboxItemInfo,
  online: boolean,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  if (item.lastError) return t(`errors.${item.lastError}`);
  if (item.state === 'submitted') return t('mail.outbox.reasonFiling');
  if (item.state === 'sending') return t('mail.outbox.reasonSending');
  if (!online) return t('mail.outbox.reasonOffline');
  // A Bcc copy waits for its main message (outbox.ts).
  if (item.bccCopyFor) return t('mail.outbox.reasonBccCopy');
  return t('mail.outbox.reasonQueued');
}
