import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client';
import { type LoginInput, useLogin } from '../api';

/** Username and password; a refusal shows the server's own words (wrong password, too many tries). */
export function LoginForm({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginInput>();
  const login = useLogin();

  const failure =
    login.error instanceof ApiError
      ? login.error.status === 0
        ? t('errors.network')
        : login.error.detail || login.error.title
      : login.error
        ? t('errors.unexpected')
        : null;

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(values) => login.mutate(values, { onSuccess: onLoggedIn })}>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}>
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" data-testid="login-username" />
      </Form.Item>
      <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" data-testid="login-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={login.isPending} data-testid="login-submit">
        {t('auth.login')}
      </Button>
    </Form>
  );
}
