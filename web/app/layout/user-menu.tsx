import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, type MenuProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { type Me, useLogout } from '../../features/auth/api';
import { ChangePasswordModal } from '../../features/users/components/change-password-modal';

export function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  const [changingPassword, setChangingPassword] = useState(false);

  const grants = me.grants.map((grant, index) => ({
    key: `grant-${index}`,
    disabled: true,
    label: grant.unitName ? `${t(`auth.role.${grant.role}`)} · ${grant.unitName}` : t(`auth.role.${grant.role}`),
  }));
  const items: MenuProps['items'] = [
    { type: 'group', key: 'roles', label: t('auth.roles'), children: grants },
    { type: 'divider' },
    {
      key: 'password',
      icon: <KeyOutlined />,
      label: <span data-testid="change-password">{t('users.myPassword.menu')}</span>,
      onClick: () => setChangingPassword(true),
    },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('auth.logout')}</span>,
      onClick: () => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) }),
    },
  ];

  return (
    <>
      <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
        <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
          <span className="convoy-user-name">{me.displayName || me.username}</span>
        </Button>
      </Dropdown>
      <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
    </>
  );
}
