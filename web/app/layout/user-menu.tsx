import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { type Me, useLogout } from '../../features/auth/api';

export function UserMenu({ me }: { me: Me }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();

  const grants = me.grants.map((grant, index) => ({
    key: `grant-${index}`,
    disabled: true,
    label: grant.unitName ? `${t(`auth.role.${grant.role}`)} · ${grant.unitName}` : t(`auth.role.${grant.role}`),
  }));
  const items: MenuProps['items'] = [
    { type: 'group', key: 'roles', label: t('auth.roles'), children: grants },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('auth.logout')}</span>,
      onClick: () => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) }),
    },
  ];

  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
        <span className="convoy-user-name">{me.displayName || me.username}</span>
      </Button>
    </Dropdown>
  );
}
