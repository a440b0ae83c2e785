import { App, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../org/components/form-modal';
import { CONSENT_CHANNELS, type ConsentChannel, CURRENT_NOTICE_VERSION, useRecordConsent, type WorkerDetail } from '../api';

type Values = { version: string; purpose: string; channel: ConsentChannel };
type Props = { worker: WorkerDetail; open: boolean; onClose: () => void };

/** Staff record a consent the worker gave on paper, at a station or by phone. */
export function ConsentModal({ worker, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const record = useRecordConsent(worker.id);

  const submit = async (values: Values) => {
    await record.mutateAsync({ version: values.version.trim(), purpose: values.purpose.trim(), channel: values.channel });
    void message.success(t('workers.consent.recorded'));
  };

  return (
    <FormModal<Values>
      open={open}
      title={`${t('workers.consent.recordTitle')} · ${worker.name}`}
      onClose={onClose}
      onSubmit={submit}
      submitting={record.isPending}
      initialValues={{ version: CURRENT_NOTICE_VERSION, purpose: t('workers.consent.defaultPurpose'), channel: 'paper' }}
    >
      <Form.Item name="version" label={t('workers.consent.version')} rules={[{ required: true, whitespace: true, max: 40 }]}>
        <Input maxLength={40} data-testid="consent-version-input" />
      </Form.Item>
      <Form.Item name="channel" label={t('workers.consent.channel')} rules={[{ required: true }]}>
        <Select<ConsentChannel>
          options={CONSENT_CHANNELS.map((channel) => ({ value: channel, label: t(`workers.consent.channels.${channel}`) }))}
          data-testid="consent-channel-select"
        />
      </Form.Item>
      <Form.Item name="purpose" label={t('workers.consent.purpose')} rules={[{ required: true, whitespace: true, max: 500 }]}>
        <Input.TextArea rows={3} maxLength={500} showCount data-testid="consent-purpose-input" />
      </Form.Item>
    </FormModal>
  );
}
