import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';
import type { MenuLanguage } from './app-menu';

/** The compose window checks German and English. */
export const SPELLCHECK_LANGUAGES = ['de-DE', 'en-US'] as const;

/**
 * A download URL on the app's own scheme: where Chromium would otherwise fetch Hunspell dictionaries from
 * Google's CDN, it asks the app, which serves none — no request ever leaves the machine.
 */
export const NO_DICTIONARY_DOWNLOAD = 'app://ratsdesk/no-dictionaries/';

export interface SpellcheckPlan {
  enabled: boolean;
  languages?: readonly string[];
  downloadUrl?: string;
}

/**
 * Spell checking without any third-party server. macOS: the system's spell checker (nothing is fetched).
 * Windows: the system's spell checker for German and English; should Chromium want Hunspell dictionaries
 * for a language Windows lacks, it gets them only from the policy's spellcheckDictionaryUrl. Linux has no
 * system spell checker Chromium can use: on only when the policy names where IT hosts Electron's Hunspell
 * dictionaries (hunspell_dictionaries.zip of the Electron release), off otherwise.
 */
export function spellcheckPlan(host: { platform: NodeJS.Platform; dictionaryUrl: string | null }): SpellcheckPlan {
  if (host.platform === 'darwin') return { enabled: true };
  const url = host.dictionaryUrl
    ? host.dictionaryUrl.endsWith('/')
      ? host.dictionaryUrl
      : `${host.dictionaryUrl}/`
    : null;
  if (host.platform === 'win32') {
    return { enabled: true, languages: SPELLCHECK_LANGUAGES, downloadUrl: url ?? NO_DICTIONARY_DOWNLOAD };
  }
  return url ? { enabled: true, languages: SPELLCHECK_LANGUAGES, downloadUrl: url } : { enabled: false };
}

const LABELS = {
  de: {
    noSuggestions: 'Keine Vorschläge',
    addToDictionary: 'Zum Wörterbuch hinzufügen',
    cut: 'Ausschneiden',
    copy: 'Kopieren',
    paste: 'Einfügen',
    selectAll: 'Alles auswählen',
  },
  en: {
    noSuggestions: 'No suggestions',
    addToDictionary: 'Add to dictionary',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
  },
} as const;

/**
 * The context menu of a text field: the spell checker's suggestions for a misspelled word (and "add to
 * dictionary"), then cut, copy, paste. Outside editable fields only "copy" for a selection. Nothing else:
 * no "inspect element", no "open link".
 */
export function textContextMenu(
  params: Pick<ContextMenuParams, 'isEditable' | 'misspelledWord' | 'dictionarySuggestions' | 'selectionText'>,
  language: MenuLanguage,
  actions: { replace(word: string): void; addToDictionary(word: string): void },
): MenuItemConstructorOptions[] {
  const l = LABELS[language];
  const items: MenuItemConstructorOptions[] = [];
  if (params.isEditable && params.misspelledWord) {
    const suggestions = params.dictionarySuggestions.slice(0, 6);
    if (suggestions.length === 0) items.push({ label: l.noSuggestions, enabled: false });
    for (const word of suggestions) items.push({ label: word, click: () => actions.replace(word) });
    items.push({ label: l.addToDictionary, click: () => actions.addToDictionary(params.misspelledWord) });
    items.push({ type: 'separator' });
  }
  if (params.isEditable) {
    items.push(
      { role: 'cut', label: l.cut },
      { role: 'copy', label: l.copy },
      { role: 'paste', label: l.paste },
      { type: 'separator' },
      { role: 'selectAll', label: l.selectAll },
    );
  } else if (params.selectionText) {
    items.push({ role: 'copy', label: l.copy });
  }
  return items;
}
