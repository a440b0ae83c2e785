import { ApartmentOutlined, AuditOutlined } from '@ant-design/icons';
import { Grid, Layout, Menu, type MenuProps, Spin, theme } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { hasRole, useMe } from '../../features/auth/api';
import { AppBrand } from './app-brand';
import { LanguageSwitch } from './language-switch';
import { UserMenu } from './user-menu';

function selectedNavKey(pathname: string): string {
  return pathname.split('/')[1] ?? 'org';
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe().data;
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const { token } = theme.useToken();
  const narrow = !screens.md;
  const [collapsed, setCollapsed] = useState(narrow);

  // Only modules that exist appear; the audit log is for system admins.
  const items: MenuProps['items'] = [
    { key: 'org', icon: <ApartmentOutlined />, label: <Link to="/org">{t('nav.org')}</Link> },
    ...(hasRole(me, 'system_admin')
      ? [{ key: 'audit', icon: <AuditOutlined />, label: <Link to="/audit">{t('nav.audit')}</Link> }]
      : []),
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          paddingInline: narrow ? 12 : 24,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        <AppBrand compact={narrow} />
        <div style={{ flex: 1 }} />
        <LanguageSwitch />
        {me && <UserMenu me={me} />}
      </Layout.Header>
      <Layout style={{ position: 'relative' }}>
        <Layout.Sider
          breakpoint="md"
          collapsedWidth={0}
          collapsed={collapsed}
          onCollapse={setCollapsed}
          width={200}
          theme="light"
          aria-label={t('nav.menu')}
          style={{
            borderRight: `1px solid ${token.colorBorderSecondary}`,
            // On a phone the open menu floats over the page instead of squeezing it.
            ...(narrow ? { position: 'absolute', zIndex: 20, height: '100%' } : {}),
          }}
        >
          <Menu
            mode="inline"
            selectedKeys={[selectedNavKey(location.pathname)]}
            items={items}
            style={{ borderInlineEnd: 'none' }}
            // Close the floating phone menu once a choice is made.
            onClick={() => narrow && setCollapsed(true)}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: narrow ? 8 : 24, minWidth: 0 }}>
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
