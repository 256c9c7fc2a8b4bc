import { Link } from '../router.tsx';

/** Shown on account pages when the server runs in local mode, where there is nobody to sign in as. */
export function LocalModeNotice({ title }: { title: string }) {
  return (
    <>
      <title>{`${title} · CryoProtect`}</title>
      <h1>{title}</h1>
      <div className="notice">
        <p className="notice__title">No accounts on this server</p>
        <p>
          This CryoProtect runs in local mode (AUTH_MODE=local): you are the built-in administrator and there is
          nothing to sign in to. <Link to="/">Go to the start page</Link>.
        </p>
      </div>
    </>
  );
}
