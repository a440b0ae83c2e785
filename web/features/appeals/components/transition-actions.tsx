import { App, AutoComplete, Button, Card, Flex, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { type AppealDetail, type AppealStatus, useTransition } from '../api';
import { SimilarAppeals } from './similar-appeals';

// The server refuses these without a reason: the worker is owed an answer or an explanation.
const NEEDS_REASON: ReadonlySet<AppealStatus> = new Set(['rejected', 'waiting_on_worker', 'resolved', 'partly_resolved']);
// A click is enough for these; a form would only slow the morning's first pass through the inbox.
const ONE_CLICK: ReadonlySet<AppealStatus> = new Set(['acknowledged', 'in_progress']);
// The bodies outside Convoy an appeal is most often referred to.
const REFERRAL_BODIES = ['交通运输局', '劳动人事争议仲裁委员会', '总工会', '12345热线'];

type Values = { reason?: string; referredTo?: string; mergedIntoId?: number };

function TransitionForm({ appeal, to, onClose }: { appeal: AppealDetail; to: AppealStatus; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const transition = useTransition(appeal.id);
  const [form] = Form.useForm<Values>();
  const mergedIntoId = Form.useWatch('mergedIntoId', form);

  const submit = (values: Values) =>
    transition.mutate(
      { to, version: appeal.version, reason: values.reason?.trim() || undefined, referredTo: values.referredTo?.trim() || undefined, mergedIntoId: values.mergedIntoId },
      {
        onSuccess: () => {
          void message.success(t('appeals.transition.done', { status: t(`appeals.status.${to}`) }));
          onClose();
        },
        onError: (error) => reportError(error, form),
      },
    );

  return (
    <Modal
      open
      title={t(`appeals.action.${to}`)}
      okText={t(`appeals.action.${to}`)}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={transition.isPending}
      okButtonProps={{ ...({ 'data-testid': 'transition-submit' } as object) }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        {to === 'referred' && (
          <Form.Item name="referredTo" label={t('appeals.transition.referredTo')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <AutoComplete options={REFERRAL_BODIES.map((value) => ({ value }))} placeholder={t('appeals.transition.referredToHint')} data-testid="transition-referred-to" />
          </Form.Item>
        )}
        {to === 'merged' && (
          <>
            <Form.Item name="mergedIntoId" label={t('appeals.transition.mergedInto')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={1} precision={0} prefix="#" style={{ width: '100%' }} data-testid="transition-merged-into" />
            </Form.Item>
            <Form.Item>
              <SimilarAppeals appealId={appeal.id} chosen={mergedIntoId} onChoose={(id) => form.setFieldValue('mergedIntoId', id)} />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="reason"
          label={t(`appeals.transition.reason.${NEEDS_REASON.has(to) ? to : 'optional'}`)}
          extra={t('appeals.transition.workerSees')}
          rules={NEEDS_REASON.has(to) ? [{ required: true, whitespace: true, message: t('common.required') }] : []}
        >
          <Input.TextArea rows={4} maxLength={2000} data-testid="transition-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The moves the server allows from here, each a button; the version read goes along, so a stale page is refused. */
export function TransitionActions({ appeal }: { appeal: AppealDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const transition = useTransition(appeal.id);
  const [open, setOpen] = useState<AppealStatus | null>(null);
  if (appeal.allowedTransitions.length === 0) return null;

  const click = (to: AppealStatus) => {
    if (!ONE_CLICK.has(to)) return setOpen(to);
    transition.mutate(
      { to, version: appeal.version },
      {
        onSuccess: () => void message.success(t('appeals.transition.done', { status: t(`appeals.status.${to}`) })),
        onError: (error) => reportError(error),
      },
    );
  };

  return (
    <Card size="small" title={t('appeals.transition.title')} data-testid="transition-actions">
      <Flex vertical gap={8}>
        <Flex wrap gap={8}>
          {appeal.allowedTransitions.map((to) => (
            <Button
              key={to}
              type={to === 'acknowledged' || to === 'resolved' ? 'primary' : 'default'}
              danger={to === 'rejected'}
              loading={transition.isPending && transition.variables.to === to}
              onClick={() => click(to)}
              data-testid={`transition-${to}`}
            >
              {t(`appeals.action.${to}`)}
            </Button>
          ))}
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('appeals.transition.hint')}
        </Typography.Text>
      </Flex>
      {open && <TransitionForm appeal={appeal} to={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}
