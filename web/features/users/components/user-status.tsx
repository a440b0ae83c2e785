import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatChinaDateTime } from '../../../lib/format';
import type { ManagedUser, UserGrant } from '../api';

/** Active, disabled or locked: what keeps the person from logging in, if anything. */
export function UserStatusTags({ user }: { user: ManagedUser }) {
  const { t } = useTranslation();
  return (
    <span data-testid={`user-status-${user.id}`}>
      {user.disabled ? <Tag color="red">{t('users.status.disabled')}</Tag> : <Tag color="green">{t('users.status.active')}</Tag>}
      {user.lockedUntil && (
        <Tag color="orange" title={t('users.lockedUntil', { time: formatChinaDateTime(user.lockedUntil) })}>
          {t('users.status.locked')}
        </Tag>
      )}
    </span>
  );
}

/** "Branch secretary · Chengdu first mobile branch", or the role alone for a system-wide one. */
export function useGrantLabel() {
  const { t } = useTranslation();
  return (grant: Pick<UserGrant, 'role' | 'unitName'>) => `${t(`auth.role.${grant.role}`)} · ${grant.unitName ?? t('users.systemWide')}`;
}

export function GrantTags({ user }: { user: ManagedUser }) {
  const { t } = useTranslation();
  const label = useGrantLabel();
  if (user.grants.length === 0) return <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('users.noGrants')}</span>;
  return (
    <span>
      {user.grants.map((grant) => (
        <Tag key={grant.id} color={grant.role === 'system_admin' ? 'volcano' : 'blue'} style={{ marginBottom: 4 }}>
          {label(grant)}
        </Tag>
      ))}
    </span>
  );
}
