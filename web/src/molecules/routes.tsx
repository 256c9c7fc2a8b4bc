// The molecules area's routes, spliced into the app's route table with one line. The browser and the molecule
// page are the app's front door and load with it; search and import load on first visit.
import { lazy, Suspense, type ReactNode } from 'react';
import type { RouteDefinition } from '../router.tsx';
import { MoleculeDetailPage } from './MoleculeDetailPage.tsx';
import { MoleculesPage } from './MoleculesPage.tsx';

const StructureSearchPage = lazy(() => import('./StructureSearchPage.tsx').then((m) => ({ default: m.StructureSearchPage })));
const ImportPage = lazy(() => import('./ImportPage.tsx').then((m) => ({ default: m.ImportPage })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p role="status">Loading…</p>}>{children}</Suspense>;
}

// Literal paths come before `/molecules/:id` so "search" and "import" are never read as ids.
export const MOLECULE_ROUTES: RouteDefinition[] = [
  { path: '/molecules', render: () => <MoleculesPage /> },
  { path: '/molecules/search', render: () => <Loading><StructureSearchPage /></Loading> },
  { path: '/molecules/import', render: () => <Loading><ImportPage /></Loading> },
  // Keyed by id so navigating between two molecules starts from a fresh page state.
  { path: '/molecules/:id', render: (params) => <MoleculeDetailPage key={params.id} /> },
];
