import { useEffect, useId, useRef, useState } from 'react';

export interface DangerConfirmText {
  heading: string;
  explain: string;
  start: string;
  confirmHeading: string;
  confirmText: string;
  confirm: string;
  cancel: string;
}

/**
 * A destructive action asked twice ("Alle lokalen Daten entfernen", "Konto entfernen"): the second step says
 * what goes and takes the focus; Escape or "Abbrechen" step back. `onConfirm` answers whether it was done.
 */
export function DangerConfirm({ text, onConfirm }: { text: DangerConfirmText; onConfirm: () => Promise<boolean> }) {
  const id = useId();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    // Stepped back: the focus returns to the button that asked.
    else if (wasAsking.current) startRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <section className="danger-confirm" aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>{text.heading}</h2>
        <p>{text.explain}</p>
        <button type="button" ref={startRef} className="danger" onClick={() => setAsking(true)}>
          {text.start}
        </button>
      </section>
    );
  }
  return (
    <section
      className="danger-confirm asking"
      role="alertdialog"
      aria-labelledby={`${id}-confirm-heading`}
      aria-describedby={`${id}-confirm-text`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setAsking(false);
      }}
    >
      <h2 id={`${id}-confirm-heading`}>{text.confirmHeading}</h2>
      <p id={`${id}-confirm-text`}>{text.confirmText}</p>
      <button
        type="button"
        ref={confirmRef}
        className="danger"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onConfirm().then((done) => {
            setBusy(false);
            if (!done) setAsking(false);
          });
        }}
      >
        {text.confirm}
      </button>
      <button type="button" disabled={busy} onClick={() => setAsking(false)}>
        {text.cancel}
      </button>
    </section>
  );
}
