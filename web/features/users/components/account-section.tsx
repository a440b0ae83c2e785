import { Button, Flex, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { type ManagedUser, type PasswordReset, useDisableUser, useEnableUser, useResetPassword, useUnlockUser } from '../api';
import { TemporaryPasswordModal } from './temporary-password-modal';
import { useConfirmedChange } from './use-confirmed-change';

type Props = { user: ManagedUser; editable: boolean; onChanged: (user: ManagedUser) => void };

/** The account as a whole: its state, and disable / enable, lift a lockout, reset the password. */
export function AccountSection({ user, editable, onChanged }: Props) {
  const { t } = useTranslation();
  const confirm = useConfirmedChange(user, onChanged);
  const reportError = useApiErrorReporter();
  const disable = useDisableUser();
  const enable = useEnableUser();
  const unlock = useUnlockUser();
  const reset = useResetPassword();
  const [disabling, setDisabling] = useState(false);
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const [temporary, setTemporary] = useState<PasswordReset | null>(null);
  const name = user.displayName || user.username;

  const submitDisable = async ({ reason }: { reason: string }) => {
    try {
      const answer = await disable.mutateAsync({ userId: user.id, reason });
      onChanged(answer.user);
      setDisabling(false);
      reasonForm.resetFields();
    } catch (error) {
      reportError(error, reasonForm);
    }
  };

  return (
    <Flex vertical gap={8} data-testid="user-account">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('users.account.title')}
      </Typography.Title>
      {user.disabledAt && <Typography.Text type="danger">{t('users.disabledAt', { time: formatChinaDateTime(user.disabledAt) })}</Typography.Text>}
      {user.lockedUntil && <Typography.Text type="warning">{t('users.lockedUntil', { time: formatChinaDateTime(user.lockedUntil) })}</Typography.Text>}
      {user.failedLogins > 0 && <Typography.Text type="secondary">{t('users.failedLogins', { count: user.failedLogins })}</Typography.Text>}
      {editable && (
        <Flex gap={8} wrap>
          {user.disabled ? (
            <Button
              data-testid="user-enable"
              onClick={() =>
                confirm({
                  title: t('users.confirm.enableTitle', { name }),
                  body: t('users.confirm.enableBody'),
                  logsOut: false,
                  run: () => enable.mutateAsync(user.id),
                  done: t('users.done.enabled'),
                })
              }
            >
              {t('users.account.enable')}
            </Button>
          ) : (
            <>
              <Button
                data-testid="user-reset-password"
                onClick={() =>
                  confirm({
                    title: t('users.confirm.resetTitle', { name }),
                    body: t('users.confirm.resetBody'),
                    logsOut: true,
                    danger: true,
                    run: () => reset.mutateAsync(user.id),
                    done: t('users.account.resetPassword'),
                    onDone: setTemporary,
                  })
                }
              >
                {t('users.account.resetPassword')}
              </Button>
              <Button danger onClick={() => setDisabling(true)} data-testid="user-disable">
                {t('users.account.disable')}
              </Button>
            </>
          )}
          {(user.lockedUntil !== null || user.failedLogins > 0) && (
            <Button
              data-testid="user-unlock"
              onClick={() =>
                confirm({
                  title: t('users.confirm.unlockTitle', { name }),
                  body: t('users.confirm.unlockBody'),
                  logsOut: false,
                  run: () => unlock.mutateAsync(user.id),
                  done: t('users.done.unlocked'),
                })
              }
            >
              {t('users.account.unlock')}
            </Button>
          )}
        </Flex>
      )}
      <Modal
        open={disabling}
        title={t('users.confirm.disableTitle', { name })}
        okText={t('users.account.disable')}
        okButtonProps={{ danger: true, loading: disable.isPending, ...({ 'data-testid': 'user-disable-ok' } as object) }}
        cancelText={t('common.cancel')}
        onOk={() => reasonForm.submit()}
        onCancel={() => setDisabling(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('users.confirm.disableBody')}</Typography.Paragraph>
        <Typography.Paragraph strong type="warning" data-testid="user-confirm-logout">
          {t('users.confirm.logoutNote', { name })}
        </Typography.Paragraph>
        <Form form={reasonForm} layout="vertical" onFinish={(values) => void submitDisable(values)} requiredMark={false}>
          <Form.Item name="reason" label={t('users.account.reason')} rules={[{ required: true, whitespace: true, message: t('users.account.reasonRequired') }, { max: 200 }]}>
            <Input.TextArea rows={2} maxLength={200} placeholder={t('users.account.reasonPlaceholder')} data-testid="user-disable-reason" />
          </Form.Item>
        </Form>
      </Modal>
      <TemporaryPasswordModal reset={temporary} onClose={() => setTemporary(null)} />
    </Flex>
  );
}
