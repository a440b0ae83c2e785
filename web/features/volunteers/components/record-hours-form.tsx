import { App, Button, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { chinaToday } from '../../../lib/format';
import { HOUR_CHOICES, useCreateRecord } from '../api';

type Values = { teamId: number; serviceDate: string; hours: number; description: string };
type Props = {
  /** The teams the person is on now; hours are logged for one of them. */
  teams: readonly { teamId: number; teamName: string }[];
  onDone?: () => void;
};

const BIG = { height: 48, fontSize: 16 } as const;

/**
 * Logs one's own hours for a day of service: half an hour to twelve in half-hour steps, not in the
 * future. The record waits for the team's leader (or staff) to verify it before it counts.
 */
export function RecordHoursForm({ teams, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const reportError = useApiErrorReporter();
  const create = useCreateRecord();
  const today = chinaToday();

  const submit = (values: Values) =>
    create.mutate(
      { teamId: values.teamId, serviceDate: values.serviceDate, hours: values.hours, description: values.description.trim() },
      {
        onSuccess: () => {
          void message.success(t('volunteers.record.done'));
          form.resetFields(['description']);
          onDone?.();
        },
        onError: (error) => reportError(error, form),
      },
    );

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{ teamId: teams[0]?.teamId, serviceDate: today, hours: 2 }}
      onFinish={submit}
      data-testid="record-hours-form"
    >
      <Form.Item name="teamId" label={t('volunteers.record.team')} rules={[{ required: true, message: t('common.required') }]}>
        <Select
          size="large"
          showSearch={{ optionFilterProp: 'label' }}
          options={teams.map((team) => ({ value: team.teamId, label: team.teamName }))}
          data-testid="record-team"
        />
      </Form.Item>
      <Form.Item name="serviceDate" label={t('volunteers.record.date')} rules={[{ required: true, message: t('common.required') }]}>
        <Input type="date" size="large" max={today} data-testid="record-date" />
      </Form.Item>
      <Form.Item name="hours" label={t('volunteers.record.hours')} extra={t('volunteers.record.hoursHint')} rules={[{ required: true, message: t('common.required') }]}>
        <Select size="large" options={HOUR_CHOICES.map((h) => ({ value: h, label: t('volunteers.hoursValue', { hours: h }) }))} data-testid="record-hours" />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('volunteers.record.description')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 1000 }]}
      >
        <Input.TextArea rows={3} maxLength={1000} placeholder={t('volunteers.record.descriptionPlaceholder')} data-testid="record-description" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block style={BIG} loading={create.isPending} data-testid="record-submit">
        {t('volunteers.record.submit')}
      </Button>
    </Form>
  );
}
