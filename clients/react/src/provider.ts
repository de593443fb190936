import type { GatewayClient } from '@market-data-gateway/client';
import { createContext, createElement, useContext, type ReactNode } from 'react';

const GatewayClientContext = createContext<GatewayClient | null>(null);

/** Gives the hooks below it their client; put it inside TanStack Query's QueryClientProvider. */
export function GatewayProvider({ client, children }: { client: GatewayClient; children?: ReactNode }) {
  return createElement(GatewayClientContext.Provider, { value: client }, children);
}

export function useGatewayClient(): GatewayClient {
  const client = useContext(GatewayClientContext);
  if (!client) throw new Error('market-data-gateway hooks need a <GatewayProvider client={createGatewayClient(…)}>');
  return client;
}
