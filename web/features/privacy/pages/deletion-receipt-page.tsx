import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { PublicShell } from '../../appeals/components/public-shell';
import { useReceiptLookup } from '../api';
import { ReceiptStatusView } from '../components/receipt-status-view';

/**
 * /privacy/receipt: where a deletion request stands, by the receipt code shown when it was made. Open to
 * anyone: once the request is carried out the account that made it is closed, so no login could show it.
 */
export function DeletionReceiptPage() {
  const { t } = useTranslation();
  const lookup = useReceiptLookup();
  const error = lookup.error;
  const notFound = error instanceof ApiError && error.status === 404;

  return (
    <PublicShell>
      <Card title={t('privacy.receipt.title')} data-testid="receipt-page">
        <Typography.Paragraph type="secondary">{t('privacy.receipt.intro')}</Typography.Paragraph>
        <Form layout="vertical" size="large" requiredMark={false} onFinish={({ receipt }: { receipt: string }) => lookup.mutate(receipt.trim())}>
          <Form.Item
            name="receipt"
            label={t('privacy.receipt.codeLabel')}
            rules={[
              { required: true, whitespace: true, message: t('privacy.receipt.codeRequired') },
              { min: 10, max: 100, message: t('privacy.receipt.codeLength') },
            ]}
          >
            <Input autoComplete="off" autoCapitalize="off" autoCorrect="off" spellCheck={false} placeholder="Ab3x…" data-testid="receipt-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={lookup.isPending} style={{ height: 48, fontSize: 16 }} data-testid="receipt-submit">
            {t('privacy.receipt.submit')}
          </Button>
        </Form>
      </Card>
      {error && <Alert type={notFound ? 'warning' : 'error'} showIcon title={notFound ? t('privacy.receipt.notFound') : error.message} data-testid="receipt-error" />}
      {lookup.data && !lookup.isPending && <ReceiptStatusView receipt={lookup.data} />}
      <Typography.Text type="secondary" style={{ textAlign: 'center' }}>
        <Link to="/login">{t('privacy.receipt.toLogin')}</Link>
      </Typography.Text>
    </PublicShell>
  );
}
