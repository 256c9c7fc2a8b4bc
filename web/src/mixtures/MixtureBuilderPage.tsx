// The formulation builder: compose a recipe line by line in any unit and see every derived quantity
// recomputed by the server as you type (debounced POST /mixtures:evaluate); save creates or updates.
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError, fetchMeta } from '../api.ts';
import { Link, useNavigate, useParams, useSearchParams } from '../router.tsx';
import { CompositionChart } from './CompositionChart.tsx';
import { ComponentPicker } from './ComponentPicker.tsx';
import { DerivedProperties } from './DerivedProperties.tsx';
import { ROLE_LABELS, UNIT_LABELS } from './format.ts';
import {
  COMPONENT_ROLES,
  CONCENTRATION_UNITS,
  createMixture,
  evaluateMixture,
  getMixture,
  listComponents,
  listProjects,
  mixtureKeys,
  projectKeys,
  updateMixture,
  type ComponentRole,
  type ConcentrationUnit,
  type MixtureDetail,
} from './mixture-api.ts';
import {
  draftFromDetail,
  EMPTY_DRAFT,
  newLine,
  mergeErrors,
  sortErrors,
  toEvaluateRequest,
  toMixtureInput,
  type RecipeDraft,
  type RecipeLine,
  type SortedErrors,
  type Substance,
} from './recipe.ts';
import './mixtures.css';

const EVALUATE_DELAY_MS = 350;

/** `value` once it has stopped changing for `delay` ms (compared by content, not identity). */
function useSettled<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(JSON.parse(key) as T), delay);
    return () => clearTimeout(timer);
  }, [key, delay]);
  return settled;
}

function FieldMessages({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {messages.join(' ')}
    </p>
  );
}

interface LineEditorProps {
  line: RecipeLine;
  position: number;
  errors: Map<string, string[]> | undefined;
  incomplete: string | undefined;
  /** Just added: put the cursor in its amount. */
  focusAmount: boolean;
  onChange: (line: RecipeLine) => void;
  onRemove: () => void;
}

function LineEditor({ line, position, errors, incomplete, focusAmount, onChange, onRemove }: LineEditorProps) {
  const base = useId();
  const ids = { amount: `${base}-amount`, unit: `${base}-unit`, role: `${base}-role`, amountError: `${base}-amount-error` };
  const amountErrors = [...(errors?.get('amount') ?? []), ...(incomplete ? [incomplete] : [])];
  const lineErrors = errors?.get('') ?? [];
  const unitErrors = errors?.get('unit') ?? [];
  const roleErrors = errors?.get('role') ?? [];
  return (
    <fieldset className="recipe-line" data-testid="recipe-line">
      <legend>
        <span className="recipe-line__position">{position}.</span> {line.substance.name}
        {line.substance.kind === 'component' ? <span className="muted"> (non-structural)</span> : null}
      </legend>
      <div className="recipe-line__fields">
        <div className="field">
          <label htmlFor={ids.amount}>Amount</label>
          <input
            id={ids.amount}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            autoFocus={focusAmount}
            value={line.amount}
            onChange={(e) => onChange({ ...line, amount: e.target.value })}
            aria-invalid={amountErrors.length > 0 ? true : undefined}
            aria-describedby={amountErrors.length > 0 ? ids.amountError : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.unit}>Unit</label>
          <select
            id={ids.unit}
            value={line.unit}
            onChange={(e) => onChange({ ...line, unit: e.target.value as ConcentrationUnit })}
            aria-invalid={unitErrors.length > 0 ? true : undefined}
          >
            {CONCENTRATION_UNITS.map((u) => (
              <option key={u} value={u}>
                {UNIT_LABELS[u]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.role}>Role</label>
          <select
            id={ids.role}
            value={line.role}
            onChange={(e) => onChange({ ...line, role: e.target.value as ComponentRole | '' })}
            aria-invalid={roleErrors.length > 0 ? true : undefined}
          >
            <option value="">not stated</option>
            {COMPONENT_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button recipe-line__remove" onClick={onRemove} aria-label={`Remove ${line.substance.name}`}>
          Remove
        </button>
      </div>
      <FieldMessages id={ids.amountError} messages={amountErrors} />
      <FieldMessages id={`${base}-unit-error`} messages={unitErrors} />
      <FieldMessages id={`${base}-role-error`} messages={roleErrors} />
      <FieldMessages id={`${base}-line-error`} messages={lineErrors} />
    </fieldset>
  );
}

function LiveDerived({ query, hasLines, ready }: { query: ReturnType<typeof useEvaluation>; hasLines: boolean; ready: boolean }) {
  if (!hasLines) return <p className="empty">Add a component to see its mass and mole fractions, Tg, q<sub>v</sub>* and osmolality.</p>;
  if (!ready) return <p className="empty">Enter the amounts to see the derived quantities.</p>;
  if (query.isError) {
    const problem = query.error instanceof ApiProblem ? query.error : null;
    const messages = [...new Set(problem?.errors.map((e) => e.message) ?? [])];
    return (
      <div className="empty" data-testid="derived-unavailable">
        {messages.length > 0 ? (
          <>
            <p>This recipe cannot be evaluated; the marked fields in the recipe say why:</p>
            <ul>
              {messages.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </>
        ) : (
          <p>Could not evaluate the recipe. {describeError(query.error)}</p>
        )}
      </div>
    );
  }
  if (!query.data) return <p role="status">Evaluating…</p>;
  return (
    <>
      <CompositionChart derived={query.data} />
      <DerivedProperties derived={query.data} headingLevel={3} />
    </>
  );
}

function useEvaluation(body: ReturnType<typeof toEvaluateRequest>['body'], enabled: boolean) {
  return useQuery({
    queryKey: mixtureKeys.evaluate(body),
    queryFn: ({ signal }) => evaluateMixture(body, signal),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

interface BuilderProps {
  initial: RecipeDraft;
  /** Set when editing a saved mixture. */
  existing: MixtureDetail | null;
}

function Builder({ initial, existing }: BuilderProps) {
  const [draft, setDraft] = useState<RecipeDraft>(initial);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const ids = {
    name: useId(),
    nameError: useId(),
    description: useId(),
    project: useId(),
    projectError: useId(),
    carrier: useId(),
    carrierList: useId(),
    carrierError: useId(),
    carrierHint: useId(),
    density: useId(),
    densityError: useId(),
    densityHint: useId(),
  };
  const carriers = useQuery({
    queryKey: mixtureKeys.components(''),
    queryFn: ({ signal }) => listComponents('', signal),
    select: (items) => items.filter((c) => c.kind === 'carrier'),
    staleTime: 5 * 60_000,
  });

  const request = useMemo(() => toEvaluateRequest(draft), [draft]);
  // Evaluate the recipe once typing pauses; its errors name lines by the settled request's order.
  const settledDraft = useSettled(draft, EVALUATE_DELAY_MS);
  const settled = useMemo(() => toEvaluateRequest(settledDraft), [settledDraft]);
  const canEvaluate = settled.body.components.length > 0 && settled.densityError === null;
  const evaluation = useEvaluation(settled.body, canEvaluate);

  // New formulations go to a project you can write to, or (administrators) to the public set.
  const meta = useQuery({ queryKey: ['meta'], queryFn: ({ signal }) => fetchMeta(signal), staleTime: 5 * 60_000 });
  const projects = useQuery({
    queryKey: projectKeys.list,
    queryFn: ({ signal }) => listProjects(signal),
    select: (items) => items.filter((p) => p.myRole === 'owner' || p.myRole === 'editor'),
    enabled: existing === null,
  });
  const isAdmin = meta.data?.actor?.isAdmin === true;
  const writable = projects.data ?? [];
  const projectId = draft.projectId ?? (isAdmin ? '' : (writable[0]?.id ?? ''));

  const save = useMutation({
    mutationFn: () => {
      const input = toMixtureInput(draft, request, existing ? '' : projectId);
      return existing ? updateMixture(existing.id, input) : createMixture(input);
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(mixtureKeys.detail(saved.id), saved);
      // Dropped, not just marked stale: lists and comparisons must not flash old rows when they open next.
      queryClient.removeQueries({ queryKey: ['mixtures', 'list'] });
      queryClient.removeQueries({ queryKey: ['mixtures', 'compare'] });
      navigate(`/formulations/${encodeURIComponent(saved.id)}`);
    },
  });

  const evaluationProblem = evaluation.isError && evaluation.error instanceof ApiProblem ? evaluation.error : null;
  const saveProblem = save.error instanceof ApiProblem ? save.error : null;
  const errors: SortedErrors = mergeErrors(
    sortErrors(evaluationProblem?.errors ?? [], settled.lineOf),
    sortErrors(saveProblem?.errors ?? [], request.lineOf),
  );
  const nameFieldErrors = errors.byField.get('name') ?? [];
  const nameErrors =
    saveProblem?.status === 409 && nameFieldErrors.length === 0 ? [saveProblem.detail ?? 'This name is taken.'] : nameFieldErrors;
  const carrierErrors = errors.byField.get('carrier') ?? [];
  const projectErrors = errors.byField.get('projectId') ?? [];
  const densityErrors = [...(request.densityError ? [request.densityError] : []), ...(errors.byField.get('solutionDensity') ?? [])];
  let formError: string | null = null;
  if (save.error && !saveProblem) formError = describeError(save.error);
  else if (saveProblem && saveProblem.errors.length === 0 && saveProblem.status !== 409) formError = describeError(saveProblem);
  else if (errors.other.length > 0) formError = errors.other.join(' ');

  const update = (patch: Partial<RecipeDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (save.isError) save.reset();
  };
  const updateLine = (uid: number, next: RecipeLine) => update({ lines: draft.lines.map((l) => (l.uid === uid ? next : l)) });
  const removeLine = (uid: number) => update({ lines: draft.lines.filter((l) => l.uid !== uid) });
  const [justAdded, setJustAdded] = useState<number | null>(null);
  const addSubstance = (substance: Substance) => {
    const line = newLine(substance);
    setJustAdded(line.uid);
    update({ lines: [...draft.lines, line] });
  };
  const taken = new Set(draft.lines.map((l) => l.substance.key));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate();
  };
  const blocked = draft.name.trim() === '' || draft.lines.length === 0 || request.incomplete.size > 0 || request.densityError !== null;
  const updating = evaluation.isFetching && canEvaluate;

  return (
    <div className="builder">
      <form className="form builder__recipe panel" onSubmit={onSubmit} aria-labelledby="recipe-heading" noValidate>
        <h2 id="recipe-heading">Recipe</h2>
        <div className="field">
          <label htmlFor={ids.name}>
            Name <span className="required">(required)</span>
          </label>
          <input
            id={ids.name}
            type="text"
            required
            autoComplete="off"
            value={draft.name}
            onChange={(e) => update({ name: e.target.value })}
            aria-invalid={nameErrors.length > 0 ? true : undefined}
            aria-describedby={nameErrors.length > 0 ? ids.nameError : undefined}
          />
          <FieldMessages id={ids.nameError} messages={nameErrors} />
        </div>
        {existing === null ? (
          <div className="field">
            <label htmlFor={ids.project}>Save in</label>
            <select
              id={ids.project}
              value={projectId}
              onChange={(e) => update({ projectId: e.target.value })}
              aria-invalid={projectErrors.length > 0 ? true : undefined}
              aria-describedby={projectErrors.length > 0 ? ids.projectError : undefined}
            >
              {writable.map((p) => (
                <option key={p.id} value={p.id}>
                  Project: {p.name}
                </option>
              ))}
              <option value="">Public formulations{isAdmin ? '' : ' (administrators only)'}</option>
            </select>
            <FieldMessages id={ids.projectError} messages={projectErrors} />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={ids.description}>
            Description <span className="muted">(optional)</span>
          </label>
          <textarea id={ids.description} rows={2} value={draft.description} onChange={(e) => update({ description: e.target.value })} />
        </div>

        <div className="field">
          <label htmlFor={ids.carrier}>
            Carrier solution <span className="muted">(optional)</span>
          </label>
          <input
            id={ids.carrier}
            type="text"
            autoComplete="off"
            list={ids.carrierList}
            value={draft.carrier}
            onChange={(e) => update({ carrier: e.target.value })}
            aria-invalid={carrierErrors.length > 0 ? true : undefined}
            aria-describedby={carrierErrors.length > 0 ? `${ids.carrierError} ${ids.carrierHint}` : ids.carrierHint}
          />
          <datalist id={ids.carrierList}>
            {(carriers.data ?? []).map((c) => (
              <option key={c.key} value={c.key}>
                {c.name}
              </option>
            ))}
          </datalist>
          <FieldMessages id={ids.carrierError} messages={carrierErrors} />
          <p id={ids.carrierHint} className="hint">
            A known carrier key (e.g. euro-collins) or free text. Its solutes are not counted unless you list them as components.
          </p>
        </div>

        <div className="recipe-lines" aria-label="Components" role="group">
          {draft.lines.length === 0 ? <p className="muted">No components yet. Water is the balance.</p> : null}
          {draft.lines.map((line, i) => (
            <LineEditor
              key={line.uid}
              line={line}
              position={i + 1}
              errors={errors.byLine.get(line.uid)}
              incomplete={request.incomplete.get(line.uid)}
              focusAmount={line.uid === justAdded}
              onChange={(next) => updateLine(line.uid, next)}
              onRemove={() => removeLine(line.uid)}
            />
          ))}
          <p className="hint">Water makes up the balance of the solution.</p>
        </div>

        <ComponentPicker onPick={addSubstance} taken={taken} />

        <div className="field">
          <label htmlFor={ids.density}>
            Measured solution density, g/mL <span className="muted">(optional)</span>
          </label>
          <input
            id={ids.density}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={draft.solutionDensity}
            onChange={(e) => update({ solutionDensity: e.target.value })}
            aria-invalid={densityErrors.length > 0 ? true : undefined}
            aria-describedby={densityErrors.length > 0 ? `${ids.densityError} ${ids.densityHint}` : ids.densityHint}
          />
          <FieldMessages id={ids.densityError} messages={densityErrors} />
          <p id={ids.densityHint} className="hint">
            Without it, volumes come from ideal volume additivity of the pure components, which is approximate.
          </p>
        </div>

        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={blocked || save.isPending}>
            {save.isPending ? 'Saving…' : existing ? 'Save changes' : 'Save formulation'}
          </button>
          <Link to={existing ? `/formulations/${encodeURIComponent(existing.id)}` : '/formulations'} className="button">
            Cancel
          </Link>
        </div>
      </form>

      <section className="builder__derived" aria-labelledby="derived-heading">
        <h2 id="derived-heading">
          Derived quantities{' '}
          <span className="muted derived-state" role="status" data-testid="derived-state">
            {updating ? 'updating…' : evaluation.isSuccess && canEvaluate ? 'up to date' : ''}
          </span>
        </h2>
        <LiveDerived query={evaluation} hasLines={draft.lines.length > 0} ready={canEvaluate} />
      </section>
    </div>
  );
}

/** `/formulations/new` (optionally `?from=<id>` to start from a copy) and `/formulations/:id/edit`. */
export function MixtureBuilderPage({ mode }: { mode: 'new' | 'edit' }) {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const sourceId = mode === 'edit' ? id : (params.get('from') ?? '');
  const source = useQuery({
    queryKey: mixtureKeys.detail(sourceId),
    queryFn: ({ signal }) => getMixture(sourceId, signal),
    enabled: sourceId !== '',
  });

  const title = mode === 'edit' ? `Edit ${source.data?.name ?? 'formulation'}` : 'New formulation';
  let body;
  if (sourceId === '') body = <Builder initial={EMPTY_DRAFT} existing={null} />;
  else if (source.isPending) body = <p role="status">Loading formulation…</p>;
  else if (source.isError)
    body = (
      <p className="form-error" role="alert">
        Could not load the formulation to {mode === 'edit' ? 'edit' : 'copy'}. {describeError(source.error)}
      </p>
    );
  else {
    const detail = source.data;
    body = (
      <Builder
        key={`${mode}-${detail.id}`}
        initial={draftFromDetail(detail, mode === 'edit' ? detail.name : `${detail.name} (copy)`)}
        existing={mode === 'edit' ? detail : null}
      />
    );
  }
  return (
    <>
      <title>{`${title} · Formulations · CryoProtect`}</title>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/formulations">Formulations</Link> <span aria-hidden="true">›</span> <span aria-current="page">{title}</span>
      </nav>
      <h1>{title}</h1>
      {body}
    </>
  );
}
