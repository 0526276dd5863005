import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useMail } from './mail-store';
import { useModalDialog } from '../../ui/use-modal-dialog';

/** The keyboard shortcuts of the mail area, as the shortcut handler in MailView implements them. */
export const SHORTCUTS: readonly { keys: string[]; action: string }[] = [
  { keys: ['j', '↓'], action: 'next' },
  { keys: ['k', '↑'], action: 'previous' },
  { keys: ['Enter'], action: 'open' },
  { keys: ['r'], action: 'reply' },
  { keys: ['a'], action: 'replyAll' },
  { keys: ['f'], action: 'forward' },
  { keys: ['n'], action: 'new' },
  { keys: ['Entf', 'Delete'], action: 'delete' },
  { keys: ['u'], action: 'toggleRead' },
  { keys: ['s'], action: 'flag' },
  { keys: ['m'], action: 'move' },
  { keys: ['e'], action: 'archive' },
  { keys: ['d'], action: 'drafts' },
  { keys: ['/'], action: 'search' },
  { keys: ['?'], action: 'help' },
  { keys: ['Esc'], action: 'escape' },
];

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
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                {s.keys.map((k, i) => (
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
