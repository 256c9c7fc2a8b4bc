import { Link, useLocation } from '../router.tsx';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <title>Page not found · CryoProtect</title>
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{pathname}</code>. <Link to="/">Go to the start page</Link>.
      </p>
    </>
  );
}
