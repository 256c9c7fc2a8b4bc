// A destructive action in two steps: the first press asks, the second does it. Inline rather than
// window.confirm so the question is part of the page, readable by assistive technology and styleable.
import { useState } from 'react';

interface ConfirmButtonProps {
  /** The button's label, e.g. "Remove". */
  label: string;
  /** Accessible name when the label alone is ambiguous in a table, e.g. "Remove Bob". */
  ariaLabel?: string;
  question: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm(): void;
}

export function ConfirmButton({ label, ariaLabel, question, confirmLabel, busy, onConfirm }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button button--small" aria-label={ariaLabel} onClick={() => setAsking(true)} disabled={busy}>
        {label}
      </button>
    );
  }
  return (
    <span className="row-actions" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" className="button button--small button--danger" disabled={busy} onClick={() => { setAsking(false); onConfirm(); }}>
        {confirmLabel}
      </button>
      <button type="button" className="button button--small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
