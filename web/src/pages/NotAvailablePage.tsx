import type { Area } from '../areas.ts';
import { Link } from '../router.tsx';

/** The honest page for an area that has not been built: what it will do, and nothing invented. */
export function NotAvailablePage({ area }: { area: Area }) {
  return (
    <>
      <title>{`${area.label} · CryoProtect`}</title>
      <h1>{area.label}</h1>
      <div className="notice" role="note">
        <p className="notice__title">Not available yet</p>
        <p>{area.summary}</p>
      </div>
      <p>
        <Link to="/molecules">Go to Molecules</Link>, which is available now.
      </p>
    </>
  );
}
