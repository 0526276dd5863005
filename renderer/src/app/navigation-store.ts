import { create } from 'zustand';

interface NavigationState {
  areaId: string;
  /** Switch the main area, e.g. from a council link in a mail to the council viewer. */
  showArea(id: string): void;
}

// No import of ./areas here: feature components import this store, and areas imports the features.
// The shell falls back to the first area when the id is unknown.
export const useNavigation = create<NavigationState>((set) => ({
  areaId: 'mail',
  showArea(id) {
    set({ areaId: id });
  },
}));
