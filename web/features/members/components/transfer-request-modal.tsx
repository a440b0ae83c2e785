import { App, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../org/components/form-modal';
import { type MemberDetail, useRequestTransfer } from '../api';
import { BranchPicker } from './branch-picker';

type Values = { toUnitId: number; reason: string };
type Props = { member: MemberDetail; open: boolean; onClose: () => void };

/** The sending branch asks to move a member's relation to another mobile branch. */
export function TransferRequestModal({ member, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const request = useRequestTransfer();

  const submit = async (values: Values) => {
    await request.mutateAsync({ memberId: member.id, toUnitId: values.toUnitId, reason: values.reason.trim() });
    void message.success(t('members.transfers.requested'));
  };

  return (
    <FormModal<Values> open={open} title={`${t('members.transfers.requestTitle')} · ${member.name}`} onClose={onClose} onSubmit={submit} submitting={request.isPending}>
      <Form.Item label={t('members.transfers.from')}>{member.unitName}</Form.Item>
      <Form.Item name="toUnitId" label={t('members.transfers.target')} rules={[{ required: true }]} extra={t('members.transfers.targetHint')}>
        <BranchPicker excludeId={member.unitId} testId="transfer-target-picker" reach="anywhere" />
      </Form.Item>
      <Form.Item name="reason" label={t('members.transfers.reason')} rules={[{ required: true, whitespace: true, max: 500 }]}>
        <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('members.transfers.reasonPlaceholder')} data-testid="transfer-reason-input" />
      </Form.Item>
    </FormModal>
  );
}
