import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { LanguageSwitch } from '../../../app/layout/language-switch';
import { FullPageSpin } from '../../../app/route-guards';
import { useMe } from '../api';
import { PublicAppealLinks } from '../../appeals/components/public-appeal-links';
import { LoginForm } from '../components/login-form';

function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  // Only paths inside this app; never an address someone put into the state.
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && from !== '/login' ? from : '/org';
}

export function LoginPage() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const target = returnPath(location.state);

  if (me.isPending) return <FullPageSpin />;
  if (me.data) return <Navigate to={target} replace />;

  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Flex justify="flex-end" style={{ padding: 12 }}>
        <LanguageSwitch />
      </Flex>
      <Flex justify="center" align="flex-start" style={{ flex: 1, padding: '5vh 16px' }}>
        <Card style={{ width: '100%', maxWidth: 380 }} data-testid="login-card">
          <Flex vertical align="center" style={{ marginBottom: 24 }}>
            <Typography.Title level={2} style={{ margin: 0 }}>
              {t('app.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </Flex>
          <LoginForm onLoggedIn={() => void navigate(target, { replace: true })} />
        </Card>
      </Flex>
      <Flex justify="center" style={{ paddingBottom: 24 }}>
        <PublicAppealLinks />
      </Flex>
    </Flex>
  );
}
