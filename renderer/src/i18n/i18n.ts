import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources } from './resources';

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
