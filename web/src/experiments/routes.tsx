// The experiment pages' routes, spliced into the app's route table with one line. Loaded on first visit.
import { lazy, Suspense, type ReactNode } from 'react';
import type { RouteDefinition } from '../router.tsx';

const ExperimentsPage = lazy(() => import('./ExperimentsPage.tsx').then((m) => ({ default: m.ExperimentsPage })));
const ExperimentFormPage = lazy(() => import('./ExperimentFormPage.tsx').then((m) => ({ default: m.ExperimentFormPage })));
const ExperimentDetailPage = lazy(() => import('./ExperimentDetailPage.tsx').then((m) => ({ default: m.ExperimentDetailPage })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p role="status">Loading…</p>}>{children}</Suspense>;
}

// "new" comes before `/experiments/:id` so it is never read as an id; pages are keyed by id for a fresh state.
export const EXPERIMENT_ROUTES: RouteDefinition[] = [
  { path: '/experiments', render: () => <Loading><ExperimentsPage /></Loading> },
  { path: '/experiments/new', render: () => <Loading><ExperimentFormPage key="new" mode="new" /></Loading> },
  { path: '/experiments/:id/edit', render: (params) => <Loading><ExperimentFormPage key={`edit-${params.id}`} mode="edit" /></Loading> },
  { path: '/experiments/:id', render: (params) => <Loading><ExperimentDetailPage key={params.id} /></Loading> },
];
