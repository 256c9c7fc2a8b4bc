// The molecules area's own sub-navigation: browse, structure search and file import.
import { Link } from '../router.tsx';

export function MoleculeSectionNav() {
  return (
    <nav aria-label="Molecules" className="section-nav">
      <Link to="/molecules">Browse</Link>
      <Link to="/molecules/search">Structure search</Link>
      <Link to="/molecules/import">Import a file</Link>
    </nav>
  );
}
