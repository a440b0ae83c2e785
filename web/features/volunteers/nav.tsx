import { HeartOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import { isWorkerOnly } from '../../app/route-guards';
import type { Me } from '../auth/api';
import { hasOwnVolunteering } from './api';

type Items = NonNullable<MenuProps['items']>;

/** The menu entry of the volunteering pages: everyone but a worker-only user (theirs is the phone page). */
export function volunteersNavItems(me: Me | null | undefined, t: TFunction): Items {
  if (!me || isWorkerOnly(me)) return [];
  return [{ key: 'volunteers', icon: <HeartOutlined />, label: <Link to="/volunteers" data-testid="nav-volunteers">{t('volunteers.nav.volunteers')}</Link> }];
}

/** The worker's (or member's) own volunteering page. */
export function myVolunteeringNavItems(me: Me | null | undefined, t: TFunction): Items {
  if (!hasOwnVolunteering(me)) return [];
  return [{ key: 'me-volunteering', icon: <HeartOutlined />, label: <Link to="/me/volunteering" data-testid="nav-my-volunteering">{t('volunteers.nav.mine')}</Link> }];
}
