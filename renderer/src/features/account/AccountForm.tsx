import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSettings, ConnectInput } from '../../../../electron/contract/account';
import { useSession } from '../../app/session-store';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { type ServerFieldParts, ServerFields } from './ServerFields';
import { changeServerFieldValues, initialServerFieldValues, toConnectInput } from './server-field-values';
import './account.css';

const ALL_PARTS: ServerFieldParts = { imap: true, smtp: true, sender: true };

/**
 * Connect an account: the server fields a situation needs (all of them for manual setup; only the login
 * when the servers are preset by policy or were discovered), the connection test, and its error.
 */
export function AccountForm({
  initial,
  heading,
  intro,
  parts = ALL_PARTS,
  fixed,
  autoFocusPassword,
  children,
}: {
  initial: Partial<AccountSettings> | undefined;
  heading?: string;
  intro?: string;
  parts?: ServerFieldParts;
  /** Settings the person does not enter here (preset or discovered servers). */
  fixed?: Partial<Omit<ConnectInput, 'username' | 'password'>>;
  autoFocusPassword?: boolean;
  /** Shown between the intro and the fields, e.g. the servers found. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { connect, phase, error } = useSession();
  const [values, setValues] = useState(() => initialServerFieldValues(initial));
  const id = useId();
  const busy = phase === 'connecting';

  async function submit(event: FormEvent) {
    event.preventDefault();
    await connect(toConnectInput(values, parts, fixed));
    setValues((v) => ({ ...v, password: '' }));
  }

  return (
    <form className="account-form" onSubmit={submit} aria-labelledby={`${id}-heading`} aria-busy={busy}>
      <h1 id={`${id}-heading`}>{heading ?? t('account.heading')}</h1>
      <p>{intro ?? t('account.intro')}</p>
      {children}
      <ServerFields
        values={values}
        onChange={(change) => setValues((v) => changeServerFieldValues(v, change))}
        parts={parts}
        autoFocusPassword={autoFocusPassword}
      />
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>
        {busy ? t('account.connecting') : t('account.connect')}
      </button>
    </form>
  );
}
