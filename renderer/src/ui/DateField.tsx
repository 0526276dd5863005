import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { datePattern, formatLocalDate, parseLocalDate } from './local-date';

/**
 * A date field in the UI language's own format (TT.MM.JJJJ in German, whatever the browser's locale):
 * the value is ISO yyyy-mm-dd or ''. A typed date counts once it is complete and real; anything else is
 * marked invalid with a sentence under the field, and the last valid value stays.
 */
export function DateField({ value, onChange, label }: { value: string; onChange(iso: string): void; label: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [text, setText] = useState(() => formatLocalDate(value, language));
  const [invalid, setInvalid] = useState(false);
  const hintId = useId();

  // From outside (cleared search, language switch): show the value anew.
  useEffect(() => {
    setText(formatLocalDate(value, language));
    setInvalid(false);
  }, [value, language]);

  const { order, separator } = datePattern(language);
  const placeholder = order.map((p) => t(`dateField.${p}`)).join(separator);

  function take(next: string, final: boolean) {
    setText(next);
    if (next.trim() === '') {
      setInvalid(false);
      if (value !== '') onChange('');
      return;
    }
    const iso = parseLocalDate(next, language);
    if (iso) {
      setInvalid(false);
      if (iso !== value) onChange(iso);
    } else if (final) setInvalid(true);
  }

  return (
    <span className="date-field">
      <input
        type="text"
        inputMode="numeric"
        autoComplete="off"
        aria-label={label}
        placeholder={placeholder}
        value={text}
        size={placeholder.length + 1}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? hintId : undefined}
        onChange={(e) => take(e.target.value, false)}
        onBlur={(e) => take(e.target.value, true)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') take(e.currentTarget.value, true);
        }}
      />
      {invalid && (
        <span id={hintId} className="field-error" role="alert">
          {t('dateField.invalid', { pattern: placeholder })}
        </span>
      )}
    </span>
  );
}
