import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { NotesSyncState } from '../../../../electron/contract/notes';
import { succeeded } from '../../app/contract-call';
import { formatDateTime } from '../../i18n/locale-format';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import './notes.css';

/**
 * Settings → Notizen: how the notes travel, the state of their last round, the recovery code of the notes key
 * (shown only on request, and only while the app is unlocked: the call is behind the lock gate) and the
 * field that takes the code of the person's other device.
 */
export function NotesSettings() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [state, setState] = useState<NotesSyncState | undefined>(undefined);
  const [code, setCode] = useState<string | undefined>(undefined);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    const r = await api().notes.syncState();
    if (r.ok) setState(r.value);
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  async function syncNow() {
    setError(undefined);
    setBusy(true);
    const r = await succeeded(api().notes.syncNow(), setError);
    setBusy(false);
    if (r) setState(r.value);
  }

  async function show() {
    setError(undefined);
    const r = await succeeded(api().notes.recoveryCode(), setError);
    if (r) setCode(r.value.code);
  }

  async function enter(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setNotice('');
    setBusy(true);
    const r = await succeeded(api().notes.enterRecoveryCode({ code: typed.slice(0, 200) }), setError);
    setBusy(false);
    if (!r) return;
    setTyped('');
    setState(r.value);
    setNotice(t('notes.settings.codeTaken'));
  }

  const when = state?.lastSyncAt ? formatDateTime(state.lastSyncAt, i18n.language) : '';
  return (
    <section className="notes-settings" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('notes.settings.heading')}</h2>
      <p>{t('notes.settings.intro')}</p>
      {state && (
        <p role="status" className={`notes-sync-state notes-sync-${state.state}`}>
          {t(`notes.settings.state.${state.state}`)}
          {when ? ` ${t('notes.settings.lastSync', { when })}` : ''}
          {state.unreadable > 0 ? ` ${t('notes.settings.unreadable', { count: state.unreadable })}` : ''}
        </p>
      )}
      <button type="button" onClick={() => void syncNow()} disabled={busy}>
        {t('notes.settings.syncNow')}
      </button>

      <h3>{t('notes.settings.codeHeading')}</h3>
      <p>{t('notes.settings.codeIntro')}</p>
      {code ? (
        <>
          <p>
            {t('notes.settings.codeLabel')} <code className="notes-recovery-code">{code}</code>
          </p>
          <button type="button" onClick={() => setCode(undefined)}>
            {t('notes.settings.hideCode')}
          </button>
        </>
      ) : (
        <button type="button" onClick={() => void show()}>
          {t('notes.settings.showCode')}
        </button>
      )}

      <form className="notes-code-form" onSubmit={(e) => void enter(e)}>
        <label>
          {t('notes.settings.enterLabel')}
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
          />
        </label>
        <button type="submit" disabled={busy || !typed.trim()}>
          {t('notes.settings.enter')}
        </button>
      </form>
      <ErrorMessage error={error} />
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}
