import { create } from 'zustand';

/** The start page: the first area after sign-in, restore and unlock (#13). */
export const START_AREA = 'today';

interface NavigationState {
  areaId: string;
  /** Switch the main area, e.g. from a council link in a mail to the council viewer. */
  showArea(id: string): void;
}

/**
 * The area a window opens with (and returns to after sign-in, restore and unlock): `#area=<id>` in its address
 * (a window opened straight at the council area; `npm run bench -- startup` measures the mail and council
 * starts this way), else the start page "Heute". An id no area has falls back to the first area (App.tsx),
 * like any unknown id.
 */
export function startAreaFrom(hash: string): string {
  const wanted = hash.startsWith('#area=') ? hash.slice('#area='.length) : '';
  return /^[a-z]{1,20}$/.test(wanted) ? wanted : START_AREA;
}

/** The window's address fragment ('' outside a window, e.g. in Node). */
export function windowHash(): string {
  return (globalThis as { location?: { hash: string } }).location?.hash ?? '';
}

// No import of ./areas here: feature components import this store, and areas imports the features.
// The shell falls back to the first area when the id is unknown.
export const useNavigation = create<NavigationState>((set) => ({
  areaId: startAreaFrom(windowHash()),
  showArea(id) {
    set({ areaId: id });
  },
}));
