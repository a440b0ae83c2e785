import { Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { hasRole, type Role, useMe } from '../features/auth/api';

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

/** Pages for one role only; others see why instead of a broken page. */
export function RequireRole({ role }: { role: Role }) {
  const me = useMe();
  const { t } = useTranslation();
  if (!hasRole(me.data, role)) return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
  return <Outlet />;
}
