import { UserSwitchOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import type { Me } from '../auth/api';
import { canManageUsers } from './api';

type Items = NonNullable<MenuProps['items']>;

/** The users and roles page: for system admins and org admins, who manage grants (user.manage). */
export function usersNavItems(me: Me | null | undefined, t: TFunction): Items {
  if (!canManageUsers(me)) return [];
  return [{ key: 'users', icon: <UserSwitchOutlined />, label: <Link to="/users" data-testid="nav-users">{t('users.nav')}</Link> }];
}
