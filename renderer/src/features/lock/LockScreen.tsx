import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useLock } from './lock-store';

/** Shown instead of the whole app while locked: nothing but the password prompt is in the DOM. */
export function LockScreen({ onUnlocked }: { onUnlocked: () => void }) {
  const { t } = useTranslation();
  const { reason, busy, error, unlock } = useLock();
  const [password, setPassword] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    input.current?.focus();
  }, [error]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await unlock(password);
    setPassword('');
    if (ok) onUnlocked();
  }

  return (
    <main id="main" className="lock-screen">
      <form onSubmit={submit} aria-labelledby={`${id}-heading`} aria-busy={busy} className="account-form lock-form">
        <h1 id={`${id}-heading`}>{t('lock.heading')}</h1>
        <p>{t(`lock.reason.${reason ?? 'demand'}`)}</p>
        <label htmlFor={`${id}-password`}>{t('lock.password')}</label>
        <input
          ref={input}
          id={`${id}-password`}
          type="password"
          required
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy || password.length === 0}>
          {busy ? t('lock.unlocking') : t('lock.unlock')}
        </button>
      </form>
    </main>
  );
}
