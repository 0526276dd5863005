/// <reference types="vite/client" />
import { de } from './de';
import { en } from './en';
import type { FeatureMessages } from './messages';

// Each feature may keep its strings next to it in features/<name>/messages.ts (exporting `messages`);
// they are merged with the shared ones here, so features add strings without editing this folder. A key
// lives in one place only (test/unit/i18n-message-keys.test.ts).
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

/** German and English strings: the shared ones merged with every feature's. */
export const resources = { de: merge({}, de), en: merge({}, en) };
for (const mod of Object.values(featureModules)) {
  merge(resources.de, mod.messages.de);
  merge(resources.en, mod.messages.en);
}
