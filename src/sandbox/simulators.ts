import { coingeckoSimulator } from './coingecko-simulator.js';
import { finnhubSimulator } from './finnhub-simulator.js';
import { newsapiSimulator } from './newsapi-simulator.js';
import { polygonSimulator } from './polygon-simulator.js';
import type { SimulatorDefinition } from './simulator.js';

/** Every built-in vendor simulator, sorted by vendor name. */
export const simulators: readonly SimulatorDefinition[] = [
  coingeckoSimulator,
  finnhubSimulator,
  newsapiSimulator,
  polygonSimulator,
];
