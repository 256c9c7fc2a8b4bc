import { AREAS } from '../areas.ts';
import { Link } from '../router.tsx';

export function HomePage() {
  return (
    <>
      <title>CryoProtect</title>
      <h1>CryoProtect</h1>
      <p className="lead">
        Design cryoprotectant formulations, predict their properties and check the predictions against results from
        the lab.
      </p>
      <h2>Areas</h2>
      <ul className="area-grid">
        {AREAS.map((area) => (
          <li key={area.path} className="area-card">
            <h3>
              <Link to={area.path}>{area.label}</Link>
            </h3>
            <p>{area.summary}</p>
            <p className={area.available ? 'status status--ok' : 'status status--pending'}>
              {area.available ? 'Available' : 'Not available yet'}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
