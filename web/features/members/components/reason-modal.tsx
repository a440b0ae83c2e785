import { Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { FormModal } from '../../org/components/form-modal';

type Props = {
  open: boolean;
  title: ReactNode;
  label: ReactNode;
  submitting: boolean;
  onClose: () => void;
  /** Resolves when the server accepted it; a refusal is shown on the form. */
  onSubmit: (reason: string) => Promise<void>;
};

/** Asks for the reason a rejection needs (the other side reads it). */
export function ReasonModal({ open, title, label, submitting, onClose, onSubmit }: Props) {
  return (
    <FormModal<{ reason: string }>
      open={open}
      title={title}
      onClose={onClose}
      onSubmit={(values) => onSubmit(values.reason.trim())}
      submitting={submitting}
      danger
    >
      <Form.Item name="reason" label={label} rules={[{ required: true, whitespace: true, max: 500 }]}>
        <Input.TextArea rows={3} maxLength={500} showCount data-testid="reason-input" />
      </Form.Item>
    </FormModal>
  );
}
