import { BarChartOutlined, EnvironmentOutlined, ShopOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import { hasRole, type Me } from '../auth/api';
import { canManageStations } from './api';

type Items = NonNullable<MenuProps['items']>;

/** The stations pages of those who run them (list, editor, QR codes, map) and their visit figures. */
export function stationsNavItems(me: Me | null | undefined, t: TFunction): Items {
  if (!canManageStations(me)) return [];
  return [
    { key: 'stations', icon: <ShopOutlined />, label: <Link to="/stations" data-testid="nav-stations">{t('stations.nav.stations')}</Link> },
    { key: 'stations-visits', icon: <BarChartOutlined />, label: <Link to="/stations/visits" data-testid="nav-station-visits">{t('stations.nav.visits')}</Link> },
  ];
}

/** The worker's phone page of the nearest stations. */
export function nearbyStationsNavItems(me: Me | null | undefined, t: TFunction): Items {
  if (!hasRole(me, 'worker')) return [];
  return [{ key: 'me-stations', icon: <EnvironmentOutlined />, label: <Link to="/me/stations" data-testid="nav-nearby-stations">{t('stations.nav.nearby')}</Link> }];
}
