import type { ModelStatus } from './model-api.ts';

const TITLES: Record<ModelStatus, string> = {
  candidate: 'Trained and evaluated; not used for predictions by target until activated',
  active: 'Answers predictions for its target',
  retired: 'Kept readable (its past predictions stay explainable) but no longer active',
};

export function StatusBadge({ status }: { status: ModelStatus }) {
  return (
    <span className={`badge model-status model-status--${status}`} title={TITLES[status]} data-testid="model-status">
      {status}
    </span>
  );
}
