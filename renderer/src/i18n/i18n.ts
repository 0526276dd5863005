import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './de';
import { en } from './en';
import type { FeatureMessages } from './messages';

// Each feature may keep its strings next to it in features/<name>/messages.ts (exporting `messages`);
// they are merged over the shared ones here, so features add strings without editing this folder.
const featureModules = import.meta.glob<{ messages: FeatureMessages }>('../features/*/messages.ts', { eager: true });

function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] =
      value && typeof value === 'object' && existing && typeof existing === 'object'
        ? merge({ ...(existing as Record<string, unknown>) }, value as Record<string, unknown>)
        : value;
  }
  return target;
}

export const resources = { de: merge({}, de), en: merge({}, en) };
for (const mod of Object.values(featureModules)) {
  merge(resources.de, mod.messages.de);
  merge(resources.en, mod.messages.en);
}

export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('ratsdesk.language') : null;
const initial: Language = stored === 'en' ? 'en' : 'de';

void i18next.use(initReactI18next).init({
  resources: { de: { translation: resources.de }, en: { translation: resources.en } },
  lng: initial,
  fallbackLng: 'de',
  interpolation: { escapeValue: false },
  keySeparator: '.',
  nsSeparator: false,
});

i18next.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  localStorage.setItem('ratsdesk.language', lng);
});
document.documentElement.lang = initial;

export { i18next };
