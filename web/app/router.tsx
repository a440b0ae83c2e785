import { createBrowserRouter, Navigate } from 'react-router-dom';
import { LoginPage } from '../features/auth/pages/login-page';
import { AppLayout } from './layout/app-layout';
import { NotFoundPage } from './not-found-page';
import { FullPageSpin, RequireAuth, RequireRole } from './route-guards';

// Feature pages load on demand so the login page stays light on a phone.
export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    // Shown while a lazily loaded page arrives on the first visit.
    HydrateFallback: FullPageSpin,
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="/org" replace /> },
      { path: 'org', lazy: async () => ({ Component: (await import('../features/org/pages/org-page')).OrgPage }) },
      { path: 'org/:id', lazy: async () => ({ Component: (await import('../features/org/pages/org-page')).OrgPage }) },
      {
        path: 'audit',
        element: <RequireRole role="system_admin" />,
        children: [{ index: true, lazy: async () => ({ Component: (await import('../features/audit/pages/audit-page')).AuditPage }) }],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
