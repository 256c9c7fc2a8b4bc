// Small building blocks shared by the account, sign-in and project forms: a labelled input that shows
// the server's per-field errors (problem `errors[]`) and a form-level error line.
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiProblem, describeError } from '../api.ts';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> {
  label: string;
  value: string;
  onValue(value: string): void;
  /** Messages for this field, usually problem.messagesFor(name). */
  errors?: string[];
  hint?: ReactNode;
  /** Extra class on the wrapping .field, e.g. field--narrow. */
  fieldClassName?: string;
}

export function TextField({ label, value, onValue, errors = [], hint, required, fieldClassName, type = 'text', ...input }: TextFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [errors.length > 0 ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <div className={fieldClassName ? `field ${fieldClassName}` : 'field'}>
      <label htmlFor={id}>
        {label} {required ? <span className="required">(required)</span> : null}
      </label>
      <input
        id={id}
        type={type}
        value={value}
        required={required}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={errors.length > 0 ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {errors.length > 0 ? (
        <p id={errorId} className="field-error">
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

/**
 * The sentence to show above the submit button: nothing when every error sits next to its field,
 * otherwise the server's words (or errors for fields this form does not have).
 */
export function formErrorText(error: unknown, fields: readonly string[]): string | null {
  if (!error) return null;
  if (!(error instanceof ApiProblem)) return describeError(error);
  const onFields = error.errors.filter((e) => fields.includes(e.field.split(/[/.]/).pop() ?? ''));
  const others = error.otherErrors(fields);
  if (others.length > 0) return others.map((e) => `${e.field}: ${e.message}`).join(' ');
  if (onFields.length > 0) return null;
  return error.detail ?? error.title;
}

export function fieldErrors(error: unknown, field: string): string[] {
  return error instanceof ApiProblem ? error.messagesFor(field) : [];
}

export function FormError({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="form-error" role="alert">
      {text}
    </p>
  );
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
