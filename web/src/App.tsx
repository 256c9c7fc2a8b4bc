import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiProblem } from './api.ts';
import { AREAS } from './areas.ts';
import { ACCOUNT_ROUTES } from './auth/routes.tsx';
import { FORMULATION_ROUTES } from './mixtures/routes.tsx';
import { EXPERIMENT_ROUTES } from './experiments/routes.tsx';
import { MODEL_ROUTES } from './models/routes.tsx';
import { HealthPage } from './ops/HealthPage.tsx';
import { MOLECULE_ROUTES } from './molecules/routes.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { NotAvailablePage } from './pages/NotAvailablePage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { RouterProvider, Routes, type RouteDefinition } from './router.tsx';
import { Layout } from './shell/Layout.tsx';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx answer will not change by asking again; network blips and 5xx might.
        retry: (failureCount, error) =>
          !(error instanceof ApiProblem && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
    },
  });
}

const routes: RouteDefinition[] = [
  { path: '/', render: () => <HomePage /> },
  ...MOLECULE_ROUTES,
  ...FORMULATION_ROUTES,
  ...EXPERIMENT_ROUTES,
  ...MODEL_ROUTES,
  ...ACCOUNT_ROUTES,
  { path: '/operations', render: () => <HealthPage /> },
  ...AREAS.filter((area) => !area.available).map((area) => ({
    path: area.path,
    render: () => <NotAvailablePage area={area} />,
  })),
];

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider>
        <Layout>
          <Routes routes={routes} fallback={<NotFoundPage />} />
        </Layout>
      </RouterProvider>
    </QueryClientProvider>
  );
}
