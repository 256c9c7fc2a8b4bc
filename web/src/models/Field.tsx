// A labelled form control with its hint and the server's messages for that field (problem `errors[]`).
// The control itself is passed as a render function so selects, number inputs and files share one layout.
import { useId, type ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  label: string;
  errors?: readonly string[];
  hint?: ReactNode;
  required?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

export function Field({ label, errors = [], hint, required, className, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [errors.length > 0 ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>
        {label} {required ? <span className="required">(required)</span> : null}
      </label>
      {children({ id, 'aria-invalid': errors.length > 0 ? true : undefined, 'aria-describedby': describedBy || undefined })}
      {errors.length > 0 ? (
        <p id={errorId} className="field-error" data-testid="field-error">
          {errors.join(' ')}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
