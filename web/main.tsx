import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';
import { Providers } from './app/providers';
import { queryClient } from './app/query-client';
import { router } from './app/router';
import { forgetSession } from './features/auth/api';
import { onUnauthorized } from './lib/api-client';
import { initI18n } from './lib/i18n';
import './app/global.css';

initI18n();

// A 401 from any call means the session ended (expired, logged out elsewhere): start again at login.
onUnauthorized(() => {
  forgetSession(queryClient);
  const here = router.state.location;
  if (here.pathname !== '/login') {
    void router.navigate('/login', { replace: true, state: { from: here.pathname + here.search } });
  }
});

const container = document.getElementById('root');
if (!container) throw new Error('index.html must contain <div id="root">');

createRoot(container).render(
  <StrictMode>
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
