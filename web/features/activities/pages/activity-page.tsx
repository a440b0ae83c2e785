import { CalendarOutlined, EditOutlined, QrcodeOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Modal, Result, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaMinute } from '../../appeals/time';
import { type Activity, useActivity, useCancelActivity } from '../api';
import { ActivityFormModal } from '../components/activity-form';
import { ActivityStatusTag, KindTag, venueText } from '../components/activity-tags';
import { ActivityCounts, ParticipantsTable } from '../components/participants-table';
import { chinaMonthOf, formatChinaSpan } from '../time';

function CancelModal({ activity, onClose }: { activity: Activity; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const cancel = useCancelActivity(activity.id);
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open
      title={t('activities.cancel.title', { title: activity.title })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('activities.cancel.ok')}
      okButtonProps={{ danger: true, ...({ 'data-testid': 'activity-cancel-ok' } as object) }}
      cancelText={t('common.cancel')}
      confirmLoading={cancel.isPending}
    >
      <Typography.Paragraph type="secondary">{t('activities.cancel.intro')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ reason }) => {
          try {
            await cancel.mutateAsync(reason);
            void message.success(t('activities.cancel.done'));
            onClose();
          } catch (error) {
            reportError(error, form);
          }
        }}
      >
        <Form.Item name="reason" label={t('activities.cancel.reason')} rules={[{ required: true, min: 2, max: 500, message: t('activities.cancel.reasonRule') }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="activity-cancel-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Details({ activity }: { activity: Activity }) {
  const { t } = useTranslation();
  const items = [
    { key: 'when', label: t('activities.list.when'), children: <span data-testid="activity-when">{formatChinaSpan(activity.startsAt, activity.endsAt)}</span> },
    { key: 'venue', label: t('activities.field.venue'), children: <span data-testid="activity-venue-text">{venueText(activity)}</span> },
    { key: 'organizer', label: t('activities.list.organizer'), children: activity.unitName },
    {
      key: 'audience',
      label: t('activities.field.audience'),
      children: t(`activities.audience.${activity.audience}`) + (activity.audience === 'platform_city' && activity.audiencePlatformId === null ? ` · ${t('activities.form.anyPlatform')}` : ''),
    },
    { key: 'capacity', label: t('activities.field.capacity'), children: activity.capacity ?? t('activities.list.unlimited') },
    {
      key: 'signup',
      label: t('activities.detail.signupWindow'),
      children: `${activity.signupOpensAt ? formatChinaMinute(activity.signupOpensAt) : t('activities.detail.openNow')} – ${formatChinaMinute(activity.signupClosesAt)}`,
    },
    ...(activity.description ? [{ key: 'description', label: t('activities.field.description'), children: <span style={{ whiteSpace: 'pre-line' }}>{activity.description}</span> }] : []),
  ];
  return <Descriptions column={{ xs: 1, md: 2 }} size="small" items={items} />;
}

/** 活动详情 for organizers: what, when, where, who signed up, and check-in at the door. */
export function ActivityPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const activity = useActivity(id);
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  if (activity.isPending) return <Skeleton active />;
  if (activity.isError) {
    const detail = activity.error instanceof ApiError ? activity.error.detail : undefined;
    return <Result status={activity.error instanceof ApiError && activity.error.status === 404 ? '404' : 'error'} title={t('errors.loadFailed')} subTitle={detail} />;
  }
  const a = activity.data;
  const editable = a.canOrganize && a.status === 'scheduled';

  return (
    <Flex vertical gap={16} data-testid="activity-page">
      <Card
        title={
          <Space wrap>
            <KindTag kind={a.kind} />
            <span data-testid="activity-heading">{a.title}</span>
            <ActivityStatusTag activity={a} />
          </Space>
        }
        extra={
          <Space wrap>
            <Link to={`/activities?unitId=${a.unitId}&view=calendar&month=${chinaMonthOf(a.startsAt)}`} data-testid="activity-on-calendar">
              <Button icon={<CalendarOutlined />}>{t('activities.detail.onCalendar')}</Button>
            </Link>
            {a.canOrganize && a.status === 'scheduled' && (
              <Link to={`/activities/${a.id}/qr`} data-testid="activity-qr-link">
                <Button icon={<QrcodeOutlined />}>{t('activities.detail.qr')}</Button>
              </Link>
            )}
            {editable && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="activity-edit">
                {t('activities.detail.edit')}
              </Button>
            )}
            {editable && (
              <Button danger icon={<StopOutlined />} onClick={() => setCancelling(true)} data-testid="activity-cancel">
                {t('activities.detail.cancel')}
              </Button>
            )}
          </Space>
        }
      >
        <Flex vertical gap={16}>
          {a.status === 'cancelled' && <Alert type="error" showIcon title={t('activities.detail.cancelledBecause', { reason: a.cancelReason ?? '' })} data-testid="activity-cancelled" />}
          <Details activity={a} />
          <ActivityCounts activity={a} />
        </Flex>
      </Card>
      {a.canOrganize && (
        <Card title={t('activities.participants.title')}>
          <ParticipantsTable activity={a} />
        </Card>
      )}
      {editing && <ActivityFormModal open unitId={a.unitId} activity={a} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />}
      {cancelling && <CancelModal activity={a} onClose={() => setCancelling(false)} />}
    </Flex>
  );
}
