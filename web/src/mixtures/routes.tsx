// The formulation pages' routes, spliced into the app's route table with one line. The pages load on
// first visit, so the charting library they bring (Observable Plot, d3) stays out of the main bundle.
import { lazy, Suspense, type ReactNode } from 'react';
import type { RouteDefinition } from '../router.tsx';

const FormulationsPage = lazy(() => import('./FormulationsPage.tsx').then((m) => ({ default: m.FormulationsPage })));
const MixtureBuilderPage = lazy(() => import('./MixtureBuilderPage.tsx').then((m) => ({ default: m.MixtureBuilderPage })));
const MixtureDetailPage = lazy(() => import('./MixtureDetailPage.tsx').then((m) => ({ default: m.MixtureDetailPage })));
const ComparePage = lazy(() => import('./ComparePage.tsx').then((m) => ({ default: m.ComparePage })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p role="status">Loading…</p>}>{children}</Suspense>;
}

// Literal paths come before `/formulations/:id` so "new" and "compare" are never read as ids.
export const FORMULATION_ROUTES: RouteDefinition[] = [
  { path: '/formulations', render: () => <Loading><FormulationsPage /></Loading> },
  { path: '/formulations/new', render: () => <Loading><MixtureBuilderPage key="new" mode="new" /></Loading> },
  { path: '/formulations/compare', render: () => <Loading><ComparePage /></Loading> },
  {
    path: '/formulations/:id/edit',
    render: (params) => <Loading><MixtureBuilderPage key={`edit-${params.id}`} mode="edit" /></Loading>,
  },
  // Keyed by id so moving between two formulations starts from a fresh page state.
  { path: '/formulations/:id', render: (params) => <Loading><MixtureDetailPage key={params.id} /></Loading> },
];
