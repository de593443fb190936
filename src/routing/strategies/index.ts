import type { StrategyName } from '../../config/schema.js';
import { consistentHashStrategy } from './consistent-hash.js';
import { costStrategy } from './cost.js';
import { healthBasedStrategy } from './health-based.js';
import { latencyStrategy } from './latency.js';
import { leastConnectionsStrategy } from './least-connections.js';
import { priorityStrategy } from './priority.js';
import { randomStrategy } from './random.js';
import { roundRobinStrategy } from './round-robin.js';
import type { Strategy } from './strategy.js';
import { weightedRoundRobinStrategy } from './weighted-round-robin.js';

/** Each call makes a fresh instance: stateful strategies keep their state per capability. */
export const createStrategy: Record<StrategyName, () => Strategy> = {
  'health-based': healthBasedStrategy,
  priority: priorityStrategy,
  'round-robin': roundRobinStrategy,
  'weighted-round-robin': weightedRoundRobinStrategy,
  'least-connections': leastConnectionsStrategy,
  latency: latencyStrategy,
  cost: costStrategy,
  random: randomStrategy,
  'consistent-hash': consistentHashStrategy,
};
export type { Candidate, SelectionContext, Strategy } from './strategy.js';
