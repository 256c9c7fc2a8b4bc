import { isState, STATE_LABELS } from './experiment-api.ts';

/** The workflow state as a coloured pill; the words carry the meaning, the colour only repeats it. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge state-badge state-badge--${state}`} data-testid="state-badge">
      {isState(state) ? STATE_LABELS[state] : state}
    </span>
  );
}
