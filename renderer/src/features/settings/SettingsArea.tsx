import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { policyKeys, policyKeysNotYetEnforced, type PolicyKey } from '../../../../electron/contract/policy';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { NotesSettings } from '../notes/NotesSettings';
import { SmimeSettings } from '../smime/SmimeSettings';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { DefaultMailClient } from './DefaultMailClient';
import { RemoveAccount } from './RemoveAccount';
import { SettingRow } from './SettingRow';
import { useSettings } from './settings-store';

const groups = ['mail', 'council', 'trust', 'vault', 'sharing', 'lock', 'desktop', 'updates'] as const;

/** "Einstellungen": every setting, those set by the IT administration read-only; and "Verbindung prüfen". */
export function SettingsArea() {
  const { t } = useTranslation();
  const { policy, loadError, load } = useSettings();
  const id = useId();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="settings" aria-labelledby={`${id}-heading`} role="region">
      <h1 id={`${id}-heading`}>{t('settings.heading')}</h1>
      <ErrorMessage error={loadError} />
      {policy?.managed && <p className="settings-managed">{t('settings.managed')}</p>}
      {policy && policy.issues.length > 0 && (
        <details className="settings-issues">
          <summary>{t('settings.issues', { count: policy.issues.length })}</summary>
          <ul>
            {policy.issues.map((issue, i) => (
              <li key={i}>{issue.message}</li>
            ))}
          </ul>
        </details>
      )}
      <DefaultMailClient />
      <DiagnosticsPanel />
      <SmimeSettings />
      <NotesSettings />
      {policy &&
        groups.map((group) => {
          const entries = policy.entries.filter(
            (e) =>
              Object.prototype.hasOwnProperty.call(policyKeys, e.key) &&
              policyKeys[e.key as PolicyKey].group === group &&
              !policyKeysNotYetEnforced.includes(e.key as PolicyKey),
          );
          if (entries.length === 0) return null;
          return (
            <fieldset key={group} className="settings-group">
              <legend>{t(`settings.groups.${group}`)}</legend>
              {entries.map((entry) => (
                <SettingRow key={entry.key} entry={entry} />
              ))}
            </fieldset>
          );
        })}
      <RemoveAccount />
    </div>
  );
}
