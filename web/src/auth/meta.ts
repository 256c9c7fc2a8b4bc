// One shared query for GET /meta: the auth mode and who is signed in. Sign-in and sign-out reset it.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { fetchMeta } from '../api.ts';

export const META_KEY = ['meta'] as const;

export function useMeta() {
  return useQuery({ queryKey: META_KEY, queryFn: ({ signal }) => fetchMeta(signal), staleTime: 5 * 60_000 });
}

/**
 * After signing in or out every cached answer belongs to the previous person; drop them all so no page
 * shows one user's data to the next.
 */
export async function forgetPreviousUser(queryClient: QueryClient): Promise<void> {
  queryClient.clear();
  await queryClient.fetchQuery({ queryKey: META_KEY, queryFn: ({ signal }) => fetchMeta(signal) });
}
