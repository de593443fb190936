import { createGatewayClient } from '@market-data-gateway/client';
import { GatewayProvider } from '@market-data-gateway/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';

// Same origin: the Vite server forwards /v1 to the gateway (vite.config.ts).
const client = createGatewayClient({ baseUrl: window.location.origin });
const queryClient = new QueryClient();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <GatewayProvider client={client}>
        <App />
      </GatewayProvider>
    </QueryClientProvider>
  </StrictMode>,
);
