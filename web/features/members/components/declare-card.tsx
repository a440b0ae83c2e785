import { App, Button, Card, Flex, Form, Input, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { type DeclarationItem, useDeclare, useMyDeclaration } from '../api';

const BIG = { height: 48, fontSize: 16 } as const;

type Values = { homeOrgText: string; joinDate: string };

function DeclarationState({ declaration }: { declaration: DeclarationItem }) {
  const { t } = useTranslation();
  const at = formatChinaDateTime(declaration.decidedAt ?? declaration.createdAt);
  const type = declaration.status === 'verified' ? 'success' : declaration.status === 'rejected' ? 'danger' : 'warning';
  return (
    <Flex vertical gap={4} data-testid="declare-state" data-status={declaration.status}>
      <Typography.Text strong type={type} style={{ fontSize: 16 }}>
        {t(`members.declare.${declaration.status}`, { at })}
      </Typography.Text>
      {declaration.decisionReason && <Typography.Text data-testid="declare-reason">{t('members.declare.reason', { reason: declaration.decisionReason })}</Typography.Text>}
      <Typography.Text type="secondary">{t('members.declare.declared', { org: declaration.homeOrgText, date: declaration.joinDate })}</Typography.Text>
    </Flex>
  );
}

/** 申报党员身份: a worker tells the branch of their platform and city that they are a member, and sees what became of it. */
export function DeclareCard({ isMember }: { isMember: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const mine = useMyDeclaration();
  const declare = useDeclare();
  const [form] = Form.useForm<Values>();
  const [again, setAgain] = useState(false);

  const declaration = mine.data ?? null;
  // A pending or verified declaration, or a member record already, leaves nothing to declare; a rejected one may be sent again.
  const canDeclare = !isMember && (!declaration || (declaration.status === 'rejected' && again));

  const submit = (values: Values) =>
    declare.mutate(
      { homeOrgText: values.homeOrgText.trim(), joinDate: values.joinDate },
      {
        onSuccess: () => {
          setAgain(false);
          form.resetFields();
          void message.success(t('members.declare.submitted'));
        },
        onError: (error) => reportError(error, form),
      },
    );

  let body;
  if (mine.isPending) body = <Skeleton active paragraph={{ rows: 2 }} />;
  else if (canDeclare)
    body = (
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large">
        <Form.Item name="homeOrgText" label={t('members.declare.homeOrg')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} placeholder={t('members.declare.homeOrgPlaceholder')} data-testid="declare-home-org-input" />
        </Form.Item>
        <Form.Item name="joinDate" label={t('members.declare.joinDate')} rules={[{ required: true }]}>
          <Input type="date" style={{ height: 48 }} data-testid="declare-join-date-input" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block style={BIG} loading={declare.isPending} data-testid="declare-submit">
          {t('members.declare.submit')}
        </Button>
      </Form>
    );
  else if (declaration)
    body = (
      <Flex vertical gap={12}>
        <DeclarationState declaration={declaration} />
        {declaration.status === 'rejected' && !isMember && (
          <Button block style={BIG} onClick={() => setAgain(true)} data-testid="declare-again">
            {t('members.declare.again')}
          </Button>
        )}
      </Flex>
    );
  else
    body = (
      <Typography.Text strong type="success" data-testid="declare-state" data-status="member">
        {t('members.declare.isMember')}
      </Typography.Text>
    );

  return (
    <Card title={t('members.declare.title')} data-testid="declare-card">
      <Flex vertical gap={12}>
        {canDeclare && <Typography.Text type="secondary">{t('members.declare.intro')}</Typography.Text>}
        {body}
      </Flex>
    </Card>
  );
}
