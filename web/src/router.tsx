// A deliberately small client-side router on the History API: pushState/replaceState for
// navigation, popstate for Back/Forward, `:name` path parameters and a trailing `*` wildcard.
// The server answers every non-API path with index.html, so deep links and reloads land here.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

export interface RouterLocation {
  pathname: string;
  search: string;
  hash: string;
}

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (e.g. while typing a filter). */
  replace?: boolean;
}

export type Navigate = (to: string, options?: NavigateOptions) => void;
export type Params = Readonly<Record<string, string>>;

interface RouterState {
  location: RouterLocation;
  navigate: Navigate;
}

const RouterContext = createContext<RouterState | null>(null);
const ParamsContext = createContext<Params>({});

function readLocation(): RouterLocation {
  const { pathname, search, hash } = window.location;
  return { pathname, search, hash };
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState<RouterLocation>(readLocation);

  useEffect(() => {
    const onPopState = () => setLocation(readLocation());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback<Navigate>((to, options = {}) => {
    const url = new URL(to, window.location.href);
    if (url.origin !== window.location.origin) {
      window.location.assign(url.href);
      return;
    }
    const target = `${url.pathname}${url.search}${url.hash}`;
    const current = `${window.location.pathname}${window.location.search}${window.location.hash}`;
    if (options.replace || target === current) window.history.replaceState(null, '', target);
    else window.history.pushState(null, '', target);
    const pathChanged = url.pathname !== window.location.pathname;
    setLocation(readLocation());
    if (!options.replace && !url.hash && pathChanged) window.scrollTo(0, 0);
  }, []);

  const value = useMemo(() => ({ location, navigate }), [location, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

function useRouter(): RouterState {
  const router = useContext(RouterContext);
  if (!router) throw new Error('Router hooks must be used inside <RouterProvider>.');
  return router;
}

export function useLocation(): RouterLocation {
  return useRouter().location;
}

export function useNavigate(): Navigate {
  return useRouter().navigate;
}

/** Path parameters of the innermost matched route. */
export function useParams(): Params {
  return useContext(ParamsContext);
}

/** The query string as URLSearchParams, and a setter that keeps the path and drops empty values. */
export function useSearchParams(): [URLSearchParams, (next: Record<string, string | null>, options?: NavigateOptions) => void] {
  const { location, navigate } = useRouter();
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const setParams = useCallback(
    (next: Record<string, string | null>, options?: NavigateOptions) => {
      const merged = new URLSearchParams(location.search);
      for (const [key, value] of Object.entries(next)) {
        if (value === null || value === '') merged.delete(key);
        else merged.set(key, value);
      }
      const qs = merged.toString();
      navigate(`${location.pathname}${qs ? `?${qs}` : ''}`, options);
    },
    [location.pathname, location.search, navigate],
  );
  return [params, setParams];
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/**
 * Match `pathname` against a pattern such as `/molecules/:id` or `/docs/*`.
 * Returns the decoded parameters (the wildcard's remainder under `*`), or null for no match.
 */
export function matchPath(pattern: string, pathname: string): Params | null {
  const want = segments(pattern);
  const have = segments(pathname);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    if (w === '*' && i === want.length - 1) {
      params['*'] = have.slice(i).join('/');
      return params;
    }
    const h = have[i];
    if (h === undefined) return null;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null; // a malformed %-escape cannot name anything
      }
    } else if (w !== h) {
      return null;
    }
  }
  return have.length === want.length ? params : null;
}

export interface RouteDefinition {
  path: string;
  render: (params: Params) => ReactNode;
}

/** Render the first route whose pattern matches the current path, or `fallback`. */
export function Routes({ routes, fallback }: { routes: readonly RouteDefinition[]; fallback: ReactNode }) {
  const { pathname } = useLocation();
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return <ParamsContext.Provider value={params}>{route.render(params)}</ParamsContext.Provider>;
  }
  return <>{fallback}</>;
}

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  replace?: boolean;
  /** Mark the link with aria-current="page" when the current path equals `to` ('exact') or lies below it ('prefix'). */
  activeMatch?: 'exact' | 'prefix';
}

function isActive(to: string, pathname: string, mode: 'exact' | 'prefix'): boolean {
  const target = new URL(to, window.location.href).pathname.replace(/\/+$/, '') || '/';
  const here = pathname.replace(/\/+$/, '') || '/';
  if (mode === 'exact' || target === '/') return here === target;
  return here === target || here.startsWith(`${target}/`);
}

/** An ordinary anchor (so open-in-new-tab and copy-link work) that navigates in-app on a plain click. */
export function Link({ to, replace, activeMatch = 'exact', onClick, target, children, ...rest }: LinkProps) {
  const { location, navigate } = useRouter();
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (target && target !== '_self') return;
    event.preventDefault();
    navigate(to, { replace });
  };
  const active = isActive(to, location.pathname, activeMatch);
  return (
    <a {...rest} href={to} target={target} onClick={handleClick} aria-current={active ? 'page' : undefined}>
      {children}
    </a>
  );
}
