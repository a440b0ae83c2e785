import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PasswordReset } from '../api';

/** Shows a reset's temporary password once; nothing keeps it after the window closes. */
export function TemporaryPasswordModal({ reset, onClose }: { reset: PasswordReset | null; onClose: () => void }) {
  const { t } = useTranslation();
  const name = reset ? reset.user.displayName || reset.user.username : '';
  return (
    <Modal
      open={reset !== null}
      title={t('users.temporary.title', { name })}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="user-temporary-close">
          {t('users.temporary.close')}
        </Button>
      }
    >
      <Typography.Paragraph
        copyable={{ text: reset?.temporaryPassword ?? '', tooltips: [t('users.temporary.copy'), t('users.temporary.copied')] }}
        code
        style={{ fontSize: 20, letterSpacing: 1 }}
        data-testid="user-temporary-password"
      >
        {reset?.temporaryPassword}
      </Typography.Paragraph>
      <Alert type="warning" showIcon title={t('users.temporary.body')} />
    </Modal>
  );
}
