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
      'Compose cryoprotectant formulations from molecules and see their mass and mole fractions, osmolality, predicted glass transition and toxicity index.',
    available: false,
  },
  {
    path: '/models',
    label: 'Models',
    summary:
      'Train and compare property-prediction models (glass transition, ice recrystallization inhibition, toxicity) and inspect their validation metrics and prediction intervals.',
    available: false,
  },
  {
    path: '/experiments',
    label: 'Experiments',
    summary:
      'Record experiments — cell type, cooling and warming rates, post-thaw viability with replicates — and have colleagues review and verify them.',
    available: false,
  },
  {
    path: '/projects',
    label: 'Projects',
    summary: 'Group molecules, formulations and experiments into projects and decide who can see and change them.',
    available: false,
  },
  {
    path: '/operations',
    label: 'Operations',
    summary: 'Show administrators the service health, database status, background jobs and metrics.',
    available: false,
  },
];
