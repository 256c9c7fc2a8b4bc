// The model pages' routes, spliced into the app's route table with one line. They load on first visit, so
// the charting library stays out of the main bundle.
import { lazy, Suspense, type ReactNode } from 'react';
import type { RouteDefinition } from '../router.tsx';

const ModelsPage = lazy(() => import('./ModelsPage.tsx').then((m) => ({ default: m.ModelsPage })));
const VersionPage = lazy(() => import('./VersionPage.tsx').then((m) => ({ default: m.VersionPage })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p role="status">Loading…</p>}>{children}</Suspense>;
}

export const MODEL_ROUTES: RouteDefinition[] = [
  { path: '/models', render: () => <Loading><ModelsPage /></Loading> },
  // Keyed by id so moving between two versions starts from a fresh page state (compare choice, predictions).
  { path: '/models/versions/:id', render: (params) => <Loading><VersionPage key={params.id} /></Loading> },
];
