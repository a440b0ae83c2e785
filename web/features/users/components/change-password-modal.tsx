import { App, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../org/components/form-modal';
import { type ChangePasswordInput, useChangeMyPassword } from '../api';

type Values = ChangePasswordInput & { repeatPassword: string };

/** "Change my password": the current one (or the temporary one an admin gave), and a new one twice. */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const change = useChangeMyPassword();
  return (
    <FormModal<Values>
      open={open}
      title={t('users.myPassword.title')}
      submitting={change.isPending}
      onClose={onClose}
      onSubmit={async ({ currentPassword, newPassword }) => {
        await change.mutateAsync({ currentPassword, newPassword });
        void message.success(t('users.myPassword.done'));
      }}
    >
      {/* The server's password policy decides; its reason appears under the field. */}
      <Typography.Paragraph type="secondary">{t('users.myPassword.hint')}</Typography.Paragraph>
      <Form.Item name="currentPassword" label={t('users.myPassword.current')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="current-password" data-testid="my-password-current" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('users.myPassword.new')} rules={[{ required: true, message: t('common.required') }, { min: 12, message: t('users.myPassword.tooShort') }]}>
        <Input.Password autoComplete="new-password" data-testid="my-password-new" />
      </Form.Item>
      <Form.Item
        name="repeatPassword"
        label={t('users.myPassword.repeat')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: (_, value) => (value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('users.myPassword.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="my-password-repeat" />
      </Form.Item>
    </FormModal>
  );
}
