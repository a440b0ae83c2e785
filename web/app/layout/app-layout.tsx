import { AlertOutlined, ApartmentOutlined, AuditOutlined, BarChartOutlined, ClockCircleOutlined, CloudUploadOutlined, EditOutlined, FlagOutlined, IdcardOutlined, InboxOutlined, MenuOutlined, MessageOutlined, NotificationOutlined, ProfileOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, type MenuProps, Spin, theme } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { activitiesNavItems, myActivitiesNavItems } from '../../features/activities/nav';
import { canHandleAppeals, canSeeAppealFigures } from '../../features/appeals/api';
import { NotificationsBell } from '../../features/appeals/components/notifications-bell';
import { hasRole, useMe } from '../../features/auth/api';
import { canSeeMembers } from '../../features/members/api';
import { nearbyStationsNavItems, stationsNavItems } from '../../features/stations/nav';
import { canSeeWorkers } from '../../features/workers/api';
import { myVolunteeringNavItems, volunteersNavItems } from '../../features/volunteers/nav';
import { usersNavItems } from '../../features/users/nav';
import { isWorkerOnly } from '../route-guards';
import { AppBrand } from './app-brand';
import { LanguageSwitch } from './language-switch';
import { UserMenu } from './user-menu';

function selectedNavKey(pathname: string): string {
  // The worker's appeal pages sit under /me but are menu entries of their own.
  if (pathname.startsWith('/me/appeals/new')) return 'me-appeals-new';
  if (pathname.startsWith('/me/appeals')) return 'me-appeals';
  if (pathname.startsWith('/me/stations')) return 'me-stations';
  if (pathname.startsWith('/me/activities')) return 'me-activities';
  if (pathname.startsWith('/me/volunteering')) return 'me-volunteering';
  if (pathname.startsWith('/stations/visits')) return 'stations-visits';
  return pathname.split('/')[1] ?? 'org';
}

/** Header with brand, language and user; navigation beside the page, or in a drawer on a phone. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe().data;
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const { token } = theme.useToken();
  const [drawerOpen, setDrawerOpen] = useState(false);
  // useBreakpoint is empty on the first render; treat that as wide so desktop does not flash the phone layout.
  const narrow = screens.md === false;

  // Only modules that exist appear; the audit log is for system admins.
  const items: MenuProps['items'] = [
    ...(isWorkerOnly(me) ? [] : [{ key: 'org', icon: <ApartmentOutlined />, label: <Link to="/org">{t('nav.org')}</Link> }]),
    ...(canHandleAppeals(me)
      ? [{ key: 'appeals', icon: <NotificationOutlined />, label: <Link to="/appeals" data-testid="nav-appeals">{t('nav.appeals')}</Link> }]
      : []),
    ...(canSeeAppealFigures(me)
      ? [
          { key: 'appeal-figures', icon: <BarChartOutlined />, label: <Link to="/appeal-figures" data-testid="nav-appeal-figures">{t('nav.appealFigures')}</Link> },
          { key: 'appeal-problems', icon: <AlertOutlined />, label: <Link to="/appeal-problems" data-testid="nav-appeal-problems">{t('nav.keyProblems')}</Link> },
        ]
      : []),
    ...(canHandleAppeals(me)
      ? [{ key: 'appeal-deadlines', icon: <ClockCircleOutlined />, label: <Link to="/appeal-deadlines" data-testid="nav-appeal-deadlines">{t('nav.deadlines')}</Link> }]
      : []),
    ...(canSeeWorkers(me)
      ? [{ key: 'workers', icon: <TeamOutlined />, label: <Link to="/workers" data-testid="nav-workers">{t('nav.workers')}</Link> }]
      : []),
    ...(canSeeWorkers(me)
      ? [
          { key: 'liaison', icon: <MessageOutlined />, label: <Link to="/liaison" data-testid="nav-liaison">{t('nav.liaison')}</Link> },
          { key: 'imports', icon: <CloudUploadOutlined />, label: <Link to="/imports" data-testid="nav-imports">{t('nav.imports')}</Link> },
          { key: 'privacy-requests', icon: <IdcardOutlined />, label: <Link to="/privacy/requests" data-testid="nav-privacy-requests">{t('privacy.staff.nav')}</Link> },
        ]
      : []),
    ...(canSeeMembers(me)
      ? [
          { key: 'members', icon: <FlagOutlined />, label: <Link to="/members" data-testid="nav-members">{t('nav.members')}</Link> },
          { key: 'member-transfers', icon: <SwapOutlined />, label: <Link to="/member-transfers" data-testid="nav-member-transfers">{t('nav.transfers')}</Link> },
          { key: 'member-declarations', icon: <InboxOutlined />, label: <Link to="/member-declarations" data-testid="nav-member-declarations">{t('nav.declarations')}</Link> },
        ]
      : []),
    ...(hasRole(me, 'worker')
      ? [
          { key: 'me', icon: <IdcardOutlined />, label: <Link to="/me">{t('nav.me')}</Link> },
          { key: 'me-appeals-new', icon: <EditOutlined />, label: <Link to="/me/appeals/new" data-testid="nav-file-appeal">{t('nav.fileAppeal')}</Link> },
          { key: 'me-appeals', icon: <ProfileOutlined />, label: <Link to="/me/appeals" data-testid="nav-my-appeals">{t('nav.myAppeals')}</Link> },
        ]
      : []),
    ...volunteersNavItems(me, t),
    ...myVolunteeringNavItems(me, t),
    ...stationsNavItems(me, t),
    ...nearbyStationsNavItems(me, t),
    ...activitiesNavItems(me, t),
    ...myActivitiesNavItems(me, t),
    ...usersNavItems(me, t),
    ...(hasRole(me, 'system_admin')
      ? [{ key: 'audit', icon: <AuditOutlined />, label: <Link to="/audit">{t('nav.audit')}</Link> }]
      : []),
  ];
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selectedNavKey(location.pathname)]}
      items={items}
      style={{ borderInlineEnd: 'none' }}
      onClick={() => setDrawerOpen(false)}
      data-testid="nav-menu"
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          paddingInline: narrow ? 8 : 24,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        {narrow && <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} onClick={() => setDrawerOpen(true)} data-testid="nav-toggle" />}
        <AppBrand compact={narrow} />
        <div style={{ flex: 1 }} />
        {me && <NotificationsBell me={me} />}
        <LanguageSwitch />
        {me && <UserMenu me={me} />}
      </Layout.Header>
      <Layout>
        {narrow ? (
          <Drawer placement="left" size={240} open={drawerOpen} onClose={() => setDrawerOpen(false)} title={t('nav.menu')} styles={{ body: { padding: 0 } }}>
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider width={200} theme="light" style={{ borderRight: `1px solid ${token.colorBorderSecondary}` }}>
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content style={{ padding: narrow ? 8 : 24, minWidth: 0 }}>
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
