import { type RefObject, useEffect } from 'react';

/** Shows a <dialog> as modal while `open` is true (focus trapped, Esc closes) and closes it otherwise. */
export function useModalDialog(ref: RefObject<HTMLDialogElement | null>, open: boolean): void {
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [ref, open]);
}
