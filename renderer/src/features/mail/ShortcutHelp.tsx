import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { keyLabels, MAIL_SHORTCUTS } from './mail-shortcuts';
import { useMail } from './mail-store';
import { useModalDialog } from '../../ui/use-modal-dialog';

/** The help dialog (key ?): every shortcut of the mail area, from the one table MailView runs them by. */
export function ShortcutHelp() {
  const { t } = useTranslation();
  const open = useMail((s) => s.helpOpen);
  const setHelp = useMail((s) => s.setHelp);
  const ref = useRef<HTMLDialogElement>(null);

  useModalDialog(ref, open);

  return (
    <dialog ref={ref} className="help-dialog" aria-labelledby="help-heading" onClose={() => setHelp(false)}>
      <h2 id="help-heading">{t('mail.help.heading')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('mail.help.key')}</th>
            <th scope="col">{t('mail.help.action')}</th>
          </tr>
        </thead>
        <tbody>
          {MAIL_SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                {keyLabels(s).map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' / '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(`mail.help.${s.action}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setHelp(false)} autoFocus>
        {t('mail.help.close')}
      </button>
    </dialog>
  );
}
