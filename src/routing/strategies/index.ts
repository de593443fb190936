import type { strategies } from '../../config/schema.js';
import { priorityStrategy } from './priority.js';
import type { Strategy } from './strategy.js';

export const strategyByName: Record<(typeof strategies)[number], Strategy> = {
  priority: priorityStrategy,
};
export type { SelectionContext, Strategy } from './strategy.js';
