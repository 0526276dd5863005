import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useSettings } from './settings-store';

/** "Verbindung prüfen": runs the doctor and shows the helpdesk report, with a copy button. */
export function DiagnosticsPanel() {
  const { t } = useTranslation();
  const { doctor, doctorRunning, doctorError, runDoctor } = useSettings();
  const [copied, setCopied] = useState<'ok' | 'select' | undefined>();
  const report = useRef<HTMLPreElement>(null);
  const id = useId();

  async function copy() {
    if (!doctor) return;
    try {
      await navigator.clipboard.writeText(doctor.text);
      setCopied('ok');
    } catch {
      // No clipboard permission: select the report so Ctrl+C copies it.
      const range = document.createRange();
      if (report.current) range.selectNodeContents(report.current);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      report.current?.focus();
      setCopied('select');
    }
  }

  return (
    <section className="diagnostics" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('settings.diagnostics.heading')}</h2>
      <p>{t('settings.diagnostics.intro')}</p>
      <button type="button" onClick={() => void runDoctor().then(() => setCopied(undefined))} disabled={doctorRunning}>
        {doctorRunning ? t('settings.diagnostics.running') : t('settings.diagnostics.run')}
      </button>
      <ErrorMessage error={doctorError} />
      {doctor && (
        <>
          <p role="status" className={`doctor-overall doctor-${doctor.report.overall}`}>
            {t(`settings.diagnostics.overall.${doctor.report.overall}`)}
          </p>
          <pre ref={report} className="doctor-report" tabIndex={0} aria-label={t('settings.diagnostics.report')}>
            {doctor.text}
          </pre>
          <button type="button" onClick={() => void copy()}>
            {t('settings.diagnostics.copy')}
          </button>
          {copied && (
            <span role="status">
              {' '}
              {copied === 'ok' ? t('settings.diagnostics.copied') : t('settings.diagnostics.selected')}
            </span>
          )}
        </>
      )}
    </section>
  );
}
