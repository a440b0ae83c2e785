import { Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { hasRole, type Me, type Role, useMe } from '../features/auth/api';

export function FullPageSpin() {
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '60vh' }}>
      <Spin size="large" />
    </div>
  );
}

/** Pages behind a login: wait for /auth/me, send strangers to the login page and bring them back after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageSpin />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

/** Pages for some roles only; others see why instead of a broken page. */
export function RequireRole({ role }: { role: Role | readonly Role[] }) {
  const me = useMe();
  const { t } = useTranslation();
  const roles: readonly Role[] = typeof role === 'string' ? [role] : role;
  if (!roles.some((r) => hasRole(me.data, r))) return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
  return <Outlet />;
}

/** A user whose only role is worker: their home is their own phone page, not the organization. */
export function isWorkerOnly(me: Me | null | undefined): boolean {
  return Boolean(me && me.grants.length > 0 && me.grants.every((grant) => grant.role === 'worker'));
}

/** The organization pages, except that a worker is taken to their own page (also right after login). */
export function OrgHome() {
  const me = useMe();
  if (isWorkerOnly(me.data)) return <Navigate to="/me" replace />;
  return <Outlet />;
}
