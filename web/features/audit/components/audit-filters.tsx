import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditFilters } from '../api';

function withoutBlanks(values: AuditFilters): AuditFilters {
  const filters: AuditFilters = {};
  for (const [key, value] of Object.entries(values) as [keyof AuditFilters, string | undefined][]) {
    if (value?.trim()) filters[key] = value.trim();
  }
  return filters;
}

export function AuditFiltersForm({ onChange }: { onChange: (filters: AuditFilters) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AuditFilters>();
  return (
    <Form form={form} layout="inline" onFinish={(values) => onChange(withoutBlanks(values))} style={{ rowGap: 8, marginBottom: 16 }}>
      <Form.Item name="action" label={t('audit.filter.action')}>
        <Input placeholder={t('audit.filter.actionPlaceholder')} allowClear data-testid="audit-filter-action" />
      </Form.Item>
      <Form.Item name="entityType" label={t('audit.filter.entityType')}>
        <Input placeholder={t('audit.filter.entityTypePlaceholder')} allowClear />
      </Form.Item>
      <Form.Item name="entityId" label={t('audit.filter.entityId')}>
        <Input allowClear style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="username" label={t('audit.filter.username')}>
        <Input allowClear style={{ width: 140 }} />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-search">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            onChange({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
