// Adds a molecule by SMILES. Server validation errors are shown next to the field they name
// (errors[].field in the problem body), and the field is marked invalid for assistive technology.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { Link } from '../router.tsx';
import { Formula } from './Formula.tsx';
import { addMolecule, depictionUrl, displayName, formatMass, moleculeKeys, THUMBNAIL, type AddedMolecule } from './molecule-api.ts';

const FORM_FIELDS = ['smiles', 'name'] as const;

function FieldError({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {messages.join(' ')}
    </p>
  );
}

function AddedResult({ result }: { result: AddedMolecule }) {
  const { molecule, created } = result;
  return (
    <div className="result" data-testid="add-result">
      <img src={depictionUrl(molecule.id, THUMBNAIL)} alt={`Structure of ${displayName(molecule)}`} width={120} height={80} />
      <div>
        <p className="result__headline">
          {created ? 'Added ' : 'Already in the library: '}
          <Link to={`/molecules/${molecule.id}`}>{displayName(molecule)}</Link>
        </p>
        <p className="muted">
          <Formula formula={molecule.formula} /> · {formatMass(molecule.molecularWeight)} g/mol ·{' '}
          <code>{molecule.inchikey}</code>
        </p>
      </div>
    </div>
  );
}

export function AddMoleculeForm() {
  const queryClient = useQueryClient();
  const [smiles, setSmiles] = useState('');
  const [name, setName] = useState('');
  const smilesRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const ids = { smiles: useId(), name: useId(), smilesError: useId(), nameError: useId(), smilesHint: useId() };

  const mutation = useMutation({
    mutationFn: addMolecule,
    onSuccess: async (result) => {
      setSmiles('');
      setName('');
      queryClient.setQueryData(moleculeKeys.detail(result.molecule.id), result.molecule);
      await queryClient.invalidateQueries({ queryKey: moleculeKeys.all });
    },
  });

  const problem = mutation.error instanceof ApiProblem ? mutation.error : null;
  const smilesErrors = problem?.messagesFor('smiles') ?? [];
  const nameErrors = problem?.messagesFor('name') ?? [];
  const otherErrors = problem?.otherErrors(FORM_FIELDS) ?? [];
  const hasFieldErrors = smilesErrors.length + nameErrors.length > 0;
  let formError: string | null = null;
  if (mutation.error && !hasFieldErrors) formError = describeError(mutation.error);
  else if (otherErrors.length > 0) formError = otherErrors.map((e) => `${e.field}: ${e.message}`).join(' ');

  // Put the cursor where the problem is, so the error next to the field is announced and fixable.
  useEffect(() => {
    if (smilesErrors.length > 0) smilesRef.current?.focus();
    else if (nameErrors.length > 0) nameRef.current?.focus();
    // Keyed on the error object alone: only a new server answer should move focus, not typing.
  }, [mutation.error]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmedName = name.trim();
    mutation.mutate({ smiles: smiles.trim(), ...(trimmedName ? { name: trimmedName } : {}) });
  };

  // Editing a field means the user is acting on the error; clear it so it does not describe stale input.
  const clearError = () => {
    if (mutation.isError) mutation.reset();
  };

  return (
    <section className="panel" aria-labelledby="add-molecule-heading">
      <h2 id="add-molecule-heading">Add molecule</h2>
      <form onSubmit={onSubmit} className="form">
        <div className="field">
          <label htmlFor={ids.smiles}>
            SMILES <span className="required">(required)</span>
          </label>
          <input
            id={ids.smiles}
            ref={smilesRef}
            name="smiles"
            type="text"
            required
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            value={smiles}
            onChange={(e) => {
              setSmiles(e.target.value);
              clearError();
            }}
            aria-invalid={smilesErrors.length > 0 ? true : undefined}
            aria-describedby={smilesErrors.length > 0 ? `${ids.smilesError} ${ids.smilesHint}` : ids.smilesHint}
            placeholder="e.g. CS(=O)C"
          />
          <FieldError id={ids.smilesError} messages={smilesErrors} />
          <p id={ids.smilesHint} className="hint">
            A structure in SMILES notation. If the structure already exists, you get the existing entry.
          </p>
        </div>
        <div className="field">
          <label htmlFor={ids.name}>
            Name <span className="muted">(optional)</span>
          </label>
          <input
            id={ids.name}
            ref={nameRef}
            name="name"
            type="text"
            autoComplete="off"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              clearError();
            }}
            aria-invalid={nameErrors.length > 0 ? true : undefined}
            aria-describedby={nameErrors.length > 0 ? ids.nameError : undefined}
            placeholder="e.g. Dimethyl sulfoxide"
          />
          <FieldError id={ids.nameError} messages={nameErrors} />
        </div>
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Adding…' : 'Add molecule'}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {mutation.isSuccess ? <AddedResult result={mutation.data} /> : null}
      </div>
    </section>
  );
}
