import { App, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../lib/format';
import { FormModal } from '../../org/components/form-modal';
import { CONTACT_CHANNELS, type ContactChannel, useLogContact } from '../api';

type Values = { contactedOn: string; channel: ContactChannel; notes?: string; demandsRaised?: string };
type Props = { worker: { workerId: number; name: string } | null; memberId: number; onClose: () => void };

/** Logs one contact a member made with a worker: when, how, what was said, what they asked for. */
export function ContactModal({ worker, memberId, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const logContact = useLogContact();
  const blankToUndefined = (text?: string) => (text && text.trim() ? text.trim() : undefined);
  return (
    <FormModal<Values>
      open={worker !== null}
      title={t('liaison.contact.title', { name: worker?.name ?? '' })}
      onClose={onClose}
      submitting={logContact.isPending}
      initialValues={{ contactedOn: chinaToday(), channel: 'phone' }}
      onSubmit={async (values) => {
        if (!worker) return;
        await logContact.mutateAsync({
          workerId: worker.workerId,
          memberId,
          contactedOn: values.contactedOn,
          channel: values.channel,
          notes: blankToUndefined(values.notes),
          demandsRaised: blankToUndefined(values.demandsRaised),
        });
        void message.success(t('liaison.contact.saved'));
      }}
    >
      <Form.Item name="contactedOn" label={t('liaison.contact.contactedOn')} rules={[{ required: true, message: t('common.required') }]}>
        <Input type="date" max={chinaToday()} data-testid="contact-date" />
      </Form.Item>
      <Form.Item name="channel" label={t('liaison.contact.channel')} rules={[{ required: true, message: t('common.required') }]}>
        <Select<ContactChannel>
          options={CONTACT_CHANNELS.map((c) => ({ value: c, label: t(`liaison.contact.channels.${c}`) }))}
          data-testid="contact-channel"
        />
      </Form.Item>
      <Form.Item name="notes" label={t('liaison.contact.notes')}>
        <Input.TextArea rows={3} maxLength={2000} data-testid="contact-notes" />
      </Form.Item>
      <Form.Item name="demandsRaised" label={t('liaison.contact.demandsRaised')} extra={t('liaison.contact.demandsHint')}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="contact-demands" />
      </Form.Item>
    </FormModal>
  );
}
