import { buildDashboard } from '../scripts/build-dashboard.js';

/** Once per run: the dashboard the gateway serves at /dashboard, built from dashboard/ into dist/dashboard. */
export default async function setup(): Promise<void> {
  await buildDashboard();
}
