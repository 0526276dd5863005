import type { ComponentType } from 'react';

/**
 * One main area of the app (Mail, Council information, Documents, Settings …). Each feature folder
 * that has an area exports `area` from `features/<name>/area.tsx`; the shell finds them itself, so a
 * feature plugs in without editing the shell.
 */
export interface AppArea {
  id: string;
  /** Position in the navigation, ascending. */
  order: number;
  /** i18n key of the navigation label. */
  labelKey: string;
  /**
   * The area's view, as its own script (#15 target 4: the start bundle holds only the shell). Called through
   * `loadAreaView` (areas.ts), which loads each view once.
   */
  view(): Promise<ComponentType>;
  /**
   * Asks for the area's first data when it is shown, without waiting for its view's script (the mail store's
   * start). A dynamic import of a store already in the start bundle: no fetch, and no import cycle through
   * start-calls.ts, which imports the areas.
   */
  prepare?(): Promise<unknown>;
}
