import { Form, type FormInstance, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';

type Props<Values> = {
  open: boolean;
  title: ReactNode;
  /**
   * Resolves when the server accepted the change; a rejection is shown on the form.
   * Resolving to `false` keeps the modal open (the user backed out of a confirmation).
   */
  onSubmit: (values: Values, form: FormInstance<Values>) => Promise<boolean | void>;
  onClose: () => void;
  initialValues?: Partial<Values>;
  submitting: boolean;
  okText?: ReactNode;
  danger?: boolean;
  children: ReactNode;
};

/** The shape every org action shares: a modal with one form, server errors placed on its fields. */
export function FormModal<Values extends object>(props: Props<Values>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const reportError = useApiErrorReporter();

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    try {
      if ((await props.onSubmit(values, form)) !== false) props.onClose();
    } catch (error) {
      reportError(error, form);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      onOk={() => void submit()}
      okText={props.okText ?? t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={props.submitting}
      okButtonProps={{ danger: props.danger, ...({ 'data-testid': 'modal-submit' } as object) }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={props.initialValues} onFinish={() => void submit()} preserve={false}>
        {props.children}
      </Form>
    </Modal>
  );
}
