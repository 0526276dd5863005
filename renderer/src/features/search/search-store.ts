import { create } from 'zustand';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type { SearchAllResult } from '../../../../electron/contract/search';
import { api } from '../../ratsdesk-api';

interface SearchState {
  open: boolean;
  query: string;
  /** The answer to `searchedFor`. */
  result: SearchAllResult | undefined;
  searchedFor: string;
  searching: boolean;
  error: ErrorInfo | undefined;
  show(): void;
  hide(): void;
  setQuery(query: string): void;
  run(query: string): Promise<void>;
}

let latest = 0;

/** "Überall suchen" (Ctrl+K): the query, its grouped hits, and whether the dialog is open. */
export const useSearchAll = create<SearchState>((set) => ({
  open: false,
  query: '',
  result: undefined,
  searchedFor: '',
  searching: false,
  error: undefined,

  show() {
    set({ open: true });
  },
  hide() {
    set({ open: false });
  },
  setQuery(query) {
    set({ query });
  },
  async run(query) {
    const q = query.trim();
    const id = ++latest;
    if (!q) {
      set({ result: undefined, searchedFor: '', searching: false, error: undefined });
      return;
    }
    set({ searching: true, error: undefined });
    const r = await api().search.all({ query: q, limit: 8 });
    // Typing goes on while a search runs: only the newest answer is shown.
    if (id !== latest) return;
    set(
      r.ok
        ? { result: r.value, searchedFor: q, searching: false }
        : { result: undefined, searchedFor: q, searching: false, error: r.error },
    );
  },
}));
