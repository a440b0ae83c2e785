import { CalendarOutlined, ScheduleOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import { hasRole, type Me } from '../auth/api';
import { canSeeActivities } from './api';

type Items = NonNullable<MenuProps['items']>;

/** The organizers' activities pages (calendar, list, attendance). */
export function activitiesNavItems(me: Me | null | undefined, t: TFunction): Items {
  if (!canSeeActivities(me)) return [];
  return [{ key: 'activities', icon: <ScheduleOutlined />, label: <Link to="/activities" data-testid="nav-activities">{t('activities.nav.staff')}</Link> }];
}

/** The worker's phone page: activities near me and my activities. */
export function myActivitiesNavItems(me: Me | null | undefined, t: TFunction): Items {
  if (!hasRole(me, 'worker')) return [];
  return [{ key: 'me-activities', icon: <CalendarOutlined />, label: <Link to="/me/activities" data-testid="nav-my-activities">{t('activities.nav.mine')}</Link> }];
}
