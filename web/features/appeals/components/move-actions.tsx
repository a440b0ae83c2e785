import { App, Button, Card, Flex, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { UnitPicker } from '../../org/components/unit-picker';
import { type AppealDetail, useEscalate, useTransfer } from '../api';

type Values = { reason: string; unitId?: number };

/** Passing the appeal on: up one level (what the branch cannot solve) or sideways to another unit. */
function MoveForm({ appeal, kind, onClose }: { appeal: AppealDetail; kind: 'escalate' | 'transfer'; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const escalate = useEscalate(appeal.id);
  const transfer = useTransfer(appeal.id);
  const [form] = Form.useForm<Values>();
  const pending = escalate.isPending || transfer.isPending;

  const submit = (values: Values) => {
    const done = {
      onSuccess: (detail: AppealDetail) => {
        void message.success(t(`appeals.move.${kind}Done`, { unit: detail.holder }));
        onClose();
      },
      onError: (error: unknown) => reportError(error, form),
    };
    if (kind === 'escalate') escalate.mutate({ reason: values.reason.trim() }, done);
    else if (values.unitId !== undefined) transfer.mutate({ unitId: values.unitId, reason: values.reason.trim() }, done);
  };

  return (
    <Modal
      open
      title={t(`appeals.move.${kind}`)}
      okText={t(`appeals.move.${kind}`)}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={pending}
      okButtonProps={{ ...({ 'data-testid': 'move-submit' } as object) }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        {kind === 'transfer' && (
          <Form.Item name="unitId" label={t('appeals.move.toUnit')} rules={[{ required: true, message: t('common.required') }]}>
            <UnitPicker excludeIds={[appeal.unitId]} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('appeals.move.reason')} extra={t('appeals.transition.workerSees')} rules={[{ required: true, whitespace: true, min: 2, message: t('common.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="move-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function MoveActions({ appeal }: { appeal: AppealDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'escalate' | 'transfer' | null>(null);
  // Only the holder's side may move it; a closed appeal stays where it ended.
  const movable = appeal.allowedTransitions.length > 0 || appeal.canEscalate;
  if (!movable) return null;
  return (
    <Card size="small" title={t('appeals.move.title')} data-testid="move-actions">
      <Flex vertical gap={8}>
        <Flex wrap gap={8}>
          {appeal.canEscalate && (
            <Button onClick={() => setOpen('escalate')} data-testid="escalate">
              {t('appeals.move.escalate')}
            </Button>
          )}
          <Button onClick={() => setOpen('transfer')} data-testid="transfer">
            {t('appeals.move.transfer')}
          </Button>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('appeals.move.hint')}
        </Typography.Text>
      </Flex>
      {open && <MoveForm appeal={appeal} kind={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}
