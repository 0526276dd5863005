import { create } from 'zustand';

interface NavigationState {
  areaId: string;
  /** Switch the main area, e.g. from a council link in a mail to the council viewer. */
  showArea(id: string): void;
}

/**
 * The area a window opens with: `#area=<id>` in its address (a window opened straight at the council
 * area; `npm run bench -- startup` measures the council page's start this way), else the mail. An id no
 * area has falls back to the first area (App.tsx), like any unknown id.
 */
export function startAreaFrom(hash: string): string {
  const wanted = hash.startsWith('#area=') ? hash.slice('#area='.length) : '';
  return /^[a-z]{1,20}$/.test(wanted) ? wanted : 'mail';
}

// No import of ./areas here: feature components import this store, and areas imports the features.
// The shell falls back to the first area when the id is unknown.
export const useNavigation = create<NavigationState>((set) => ({
  areaId: startAreaFrom((globalThis as { location?: { hash: string } }).location?.hash ?? ''),
  showArea(id) {
    set({ areaId: id });
  },
}));
