// The product's areas, in navigation order. `available` is true only once a real page exists;
// the rest render an honest "Not available yet" page with the sentence below.
export interface Area {
  path: string;
  label: string;
  summary: string;
  available: boolean;
}

export const AREAS: readonly Area[] = [
  {
    path: '/molecules',
    label: 'Molecules',
    summary: 'Browse the structure library and add molecules by SMILES; each gets a depiction, formula, masses and InChIKey.',
    available: true,
  },
  {
    path: '/formulations',
    label: 'Formulations',
    summary:
      'Compose cryoprotectant formulations from molecules in any unit and see their mass and mole fractions, molarity, osmolality, q_v* and Gordon–Taylor glass transition, with citations.',
    available: true,
  },
  {
    path: '/models',
    label: 'Models',
    summary:
      'Train and compare property-prediction models (glass transition, ice recrystallization inhibition, toxicity) and inspect their validation metrics and prediction intervals.',
    available: true,
  },
  {
    path: '/experiments',
    label: 'Experiments',
    summary:
      'Record experiments — cell type, cooling and warming rates, post-thaw viability with replicates — and have colleagues review and verify them.',
    available: true,
  },
  {
    path: '/projects',
    label: 'Projects',
    summary: 'Group molecules, formulations and experiments into projects, invite colleagues by email and decide who can see and change them.',
    available: true,
  },
  {
    path: '/operations',
    label: 'Operations',
    summary: 'Show administrators the service health report (database, schema, security, data integrity, backups, disk) and take backups.',
    available: true,
  },
];
