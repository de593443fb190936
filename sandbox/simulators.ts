import { coinapiSimulator } from './coinapi-simulator.js';
import { coingeckoSimulator } from './coingecko-simulator.js';
import { cryptocompareSimulator } from './cryptocompare-simulator.js';
import { finnhubSimulator } from './finnhub-simulator.js';
import { gnewsSimulator } from './gnews-simulator.js';
import { marketauxSimulator } from './marketaux-simulator.js';
import { marketstackSimulator } from './marketstack-simulator.js';
import { mediastackSimulator } from './mediastack-simulator.js';
import { newsapiSimulator } from './newsapi-simulator.js';
import { polygonSimulator } from './polygon-simulator.js';
import type { SimulatorDefinition } from './simulator.js';
import { twelvedataSimulator } from './twelvedata-simulator.js';

/** Every built-in vendor simulator, sorted by vendor name. */
export const simulators: readonly SimulatorDefinition[] = [
  coinapiSimulator,
  coingeckoSimulator,
  cryptocompareSimulator,
  finnhubSimulator,
  gnewsSimulator,
  marketauxSimulator,
  marketstackSimulator,
  mediastackSimulator,
  newsapiSimulator,
  polygonSimulator,
  twelvedataSimulator,
];
