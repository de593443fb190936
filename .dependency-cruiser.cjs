// Layering rules, checked by `npm run lint` (and so by CI). docs/decisions.md, "Layers", says why this order.
// A folder may import its own files and any folder listed before it, never one listed after it.
const layers = [
  'core', // contract, canonical models, outcomes, errors, events: the vocabulary everything shares
  'config',
  'transport',
  'resilience',
  'store',
  'vendors',
  'routing',
  'cache',
  'data',
  'stream',
  'observability',
  'http',
];

const above = (index) => `^src/(${layers.slice(index + 1).join('|')})/`;
const layerRules = layers.slice(0, -1).map((layer, index) => ({
  name: `${layer}-imports-no-higher-layer`,
  comment: `src/${layer} may import only ${layers.slice(0, index).join(', ') || 'nothing else in src'}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: [above(index), '^src/[^/]+\\.ts$'] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'composition-root-stays-on-top',
      comment: 'server.ts, app.ts and listen.ts compose the layers; nothing in a layer imports them.',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'adapters-see-only-the-contract',
      comment: 'A provider adapter is pure: it imports src/core and providers/common, nothing else of ours.',
      severity: 'error',
      from: { path: '^providers/' },
      to: { path: '^(src/(?!core/)|sandbox/|scripts/|test/)' },
    },
    {
      name: 'production-code-stays-out-of-sandbox-and-scripts',
      comment: 'dist/ and the image hold src/ and providers/ only: they may not import the simulators or generators.',
      severity: 'error',
      from: { path: '^(src|providers)/' },
      to: { path: '^(sandbox|scripts|test)/' },
    },
    {
      name: 'production-code-uses-no-dev-dependency',
      comment: 'npm ci --omit=dev builds the image: src/ and providers/ may not need a devDependency at run time.',
      severity: 'error',
      from: { path: '^(src|providers)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'dashboard-takes-only-types-from-the-server',
      comment: 'The browser bundle shares the server’s types (erased at build) and never its code.',
      severity: 'error',
      from: { path: '^dashboard/' },
      to: { path: '^(src|providers|sandbox|scripts)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-packages-stand-alone',
      comment: 'The published clients/ packages carry only their own files and dependencies, nothing of the gateway.',
      severity: 'error',
      from: { path: '^clients/' },
      to: { path: '^(src|providers|sandbox|scripts|test|examples)/' },
    },
    {
      name: 'client-packages-declare-what-they-import',
      comment: "A clients/ package imports at run time only its own package.json's dependencies or peers.",
      severity: 'error',
      from: { path: '^clients/' },
      to: {
        dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown', 'npm-optional'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-unresolvable-import',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@market-data-gateway/source', 'import', 'require', 'node', 'default'],
    },
  },
};
