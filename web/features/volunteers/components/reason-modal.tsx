import { Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../org/components/form-modal';

type Props = {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  onSubmit: (reason: string) => Promise<unknown>;
  submitting: boolean;
  danger?: boolean;
};

/** Rejecting or revoking hours says why: the person sees the reason beside their record. */
export function ReasonModal({ open, title, onClose, onSubmit, submitting, danger = true }: Props) {
  const { t } = useTranslation();
  return (
    <FormModal<{ reason: string }> open={open} title={title} onClose={onClose} submitting={submitting} danger={danger} onSubmit={async (values) => void (await onSubmit(values.reason.trim()))}>
      <Form.Item name="reason" label={t('volunteers.records.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]}>
        <Input.TextArea rows={3} maxLength={500} showCount data-testid="reason-input" />
      </Form.Item>
    </FormModal>
  );
}
