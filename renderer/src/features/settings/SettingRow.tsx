import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PolicyEntry, PolicyKey } from '../../../../electron/contract/policy';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { fromText, settingKind, toText } from './setting-kinds';
import { useSettings } from './settings-store';

/**
 * One setting: its label, its control and where the value comes from. A key set by the IT
 * administration is shown as such, with a disabled control and the explanation tied to it.
 */
export function SettingRow({ entry }: { entry: PolicyEntry }) {
  const { t } = useTranslation();
  const key = entry.key as PolicyKey;
  const kind = settingKind(key);
  const { saving, saved, error, set } = useSettings();
  const [text, setText] = useState(toText(kind, entry.value));
  const id = useId();
  const label = t(`settings.keys.${key}`);
  const locked = entry.locked;
  const busy = saving === key;

  useEffect(() => setText(toText(kind, entry.value)), [entry.value, kind.kind]); // eslint-disable-line react-hooks/exhaustive-deps

  const describedBy = `${id}-source`;
  const sourceText = locked
    ? entry.source === 'policy-invalid'
      ? t('settings.lockedInvalid')
      : entry.source === 'default'
        ? t('settings.policyOnly')
        : t('settings.locked')
    : entry.source === 'user'
      ? t('settings.sourceUser')
      : t('settings.sourceDefault');

  function submit(event: FormEvent) {
    event.preventDefault();
    void set(key, fromText(kind, text));
  }

  let control;
  if (kind.kind === 'boolean') {
    control = (
      <input
        id={`${id}-control`}
        type="checkbox"
        checked={entry.value === true}
        disabled={locked || busy}
        aria-describedby={describedBy}
        onChange={(e) => void set(key, e.target.checked)}
      />
    );
  } else if (kind.kind === 'choice') {
    control = (
      <select
        id={`${id}-control`}
        value={String(entry.value)}
        disabled={locked || busy}
        aria-describedby={describedBy}
        onChange={(e) => void set(key, e.target.value)}
      >
        {kind.options.map((o) => (
          <option key={o} value={o}>
            {t(`settings.choices.${o}`)}
          </option>
        ))}
      </select>
    );
  } else {
    const common = {
      id: `${id}-control`,
      value: text,
      disabled: locked || busy,
      'aria-describedby': describedBy,
      spellCheck: false,
    };
    control = (
      <>
        {kind.kind === 'list' ? (
          <textarea {...common} rows={kind.certificates ? 4 : 2} onChange={(e) => setText(e.target.value)} />
        ) : (
          <input
            {...common}
            type={kind.kind === 'number' ? 'number' : 'text'}
            inputMode={kind.kind === 'number' ? 'numeric' : undefined}
            onChange={(e) => setText(e.target.value)}
          />
        )}
        {!locked && (
          <button type="submit" disabled={busy} aria-label={t('settings.saveKey', { label })}>
            {t('settings.save')}
          </button>
        )}
      </>
    );
  }

  return (
    <form className={`setting-row${locked ? ' locked' : ''}`} data-setting={key} onSubmit={submit}>
      <label htmlFor={`${id}-control`}>{label}</label>
      <div className="setting-control">{control}</div>
      <p id={describedBy} className="setting-source">
        {sourceText}
        {saved === key && !busy && (
          <span role="status" className="setting-saved">
            {' '}
            {t('settings.saved')}
          </span>
        )}
      </p>
      {error?.key === key && <ErrorMessage error={error.error} />}
    </form>
  );
}
