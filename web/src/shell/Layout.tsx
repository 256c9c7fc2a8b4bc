// The page frame: skip link, header with product name and navigation, server status, footer.
import { useEffect, useRef, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { fetchMeta, describeError, type ServerMeta } from '../api.ts';
import { AREAS } from '../areas.ts';
import { AccountMenu } from '../auth/AccountMenu.tsx';
import { Link, useLocation } from '../router.tsx';

function ServerStatus({ meta, error }: { meta: ServerMeta | undefined; error: unknown }) {
  if (error) {
    return (
      <p className="server-status server-status--down" role="status">
        Server unavailable: {describeError(error)}
      </p>
    );
  }
  if (!meta) return <p className="server-status">Connecting…</p>;
  return (
    <p className="server-status" data-testid="server-status">
      <span className="badge" title="Where CryoProtect stores its data">
        {meta.database === 'embedded' ? 'Embedded database' : 'PostgreSQL'}
      </span>{' '}
      {meta.authMode === 'accounts' ? (
        <AccountMenu actor={meta.actor} />
      ) : meta.actor ? (
        <span>
          Signed in as <strong title={meta.actor.email}>{meta.actor.name}</strong>
          {meta.actor.isAdmin ? <span className="badge badge--admin">admin</span> : null}
        </span>
      ) : null}
    </p>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const meta = useQuery({ queryKey: ['meta'], queryFn: ({ signal }) => fetchMeta(signal), staleTime: 5 * 60_000 });
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const shownPath = useRef(pathname);

  // After an in-app navigation, move focus to the new content so keyboard and screen-reader users
  // start reading the new page instead of staying on the link they activated. Comparing paths
  // (rather than counting renders) leaves the first page load alone, also under StrictMode.
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Link to="/" className="brand" aria-label={`${meta.data?.name ?? 'CryoProtect'} home`}>
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>{meta.data?.name ?? 'CryoProtect'}</span>
          </Link>
          <nav aria-label="Main">
            <ul className="nav-list">
              {AREAS.map((area) => (
                <li key={area.path}>
                  <Link to={area.path} activeMatch="prefix" className="nav-link">
                    {area.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <ServerStatus meta={meta.data} error={meta.error} />
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        {children}
      </main>
      <footer className="app-footer">
        <p>
          {meta.data ? `${meta.data.name} ${meta.data.version}` : 'CryoProtect'} · open platform for cryoprotectant
          design · <a href="/api/docs">API documentation</a>
        </p>
      </footer>
    </div>
  );
}
