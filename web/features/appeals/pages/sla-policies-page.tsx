import { Alert, App, Button, Card, Flex, InputNumber, Result, Table, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { APPEAL_HANDLER_ROLES, type AppealCategory, type SlaPolicy, useCategoryName, useSetSlaPolicy, useSlaPolicies } from '../api';
import { UnitScopeBar, useScopeUnitId } from '../components/unit-scope';

type Hours = Pick<SlaPolicy, 'acknowledgeHours' | 'updateHours' | 'resolveHours'>;
type HourField = keyof Hours;

// The server's bounds (appeals.schema.ts): up to 30 days to acknowledge or update, 90 to resolve.
const MAX_HOURS: Record<HourField, number> = { acknowledgeHours: 24 * 30, updateHours: 24 * 30, resolveHours: 24 * 90 };
const FIELDS: HourField[] = ['acknowledgeHours', 'updateHours', 'resolveHours'];

const sameHours = (a: Hours, b: Hours) => FIELDS.every((f) => a[f] === b[f]);
const validHours = (h: Hours) => FIELDS.every((f) => Number.isInteger(h[f]) && h[f] >= 1 && h[f] <= MAX_HOURS[f]);

/** 办理时限: the acknowledge/update/resolve hours a unit gives itself, per category, saved one row at a time. */
export function SlaPoliciesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const categoryName = useCategoryName();
  const [unitId, setUnitId] = useScopeUnitId(APPEAL_HANDLER_ROLES, false);
  const policies = useSlaPolicies(unitId);
  const save = useSetSlaPolicy();
  // Edits not yet saved, per unit and category, so switching units never carries an edit across.
  const [drafts, setDrafts] = useState<Record<string, Hours>>({});
  const [saving, setSaving] = useState<AppealCategory | null>(null);
  const draftKey = (category: AppealCategory) => `${unitId ?? 0}|${category}`;

  const current = (p: SlaPolicy): Hours => drafts[draftKey(p.category ?? 'other')] ?? p;
  const edit = (p: SlaPolicy, field: HourField, value: number | null) => {
    if (p.category === null) return;
    const key = draftKey(p.category);
    setDrafts((previous) => ({ ...previous, [key]: { ...(previous[key] ?? p), [field]: value ?? 0 } }));
  };

  const saveRow = async (p: SlaPolicy) => {
    if (unitId === null || p.category === null) return;
    const hours = current(p);
    setSaving(p.category);
    try {
      await save.mutateAsync({ unitId, category: p.category, ...hours });
      const key = draftKey(p.category);
      setDrafts(({ [key]: _saved, ...rest }) => rest);
      void message.success(t('appeals.sla.saved', { category: categoryName(p.category) }));
    } catch (error) {
      reportError(error);
    } finally {
      setSaving(null);
    }
  };

  const hoursColumn = (field: HourField): NonNullable<TableProps<SlaPolicy>['columns']>[number] => ({
    key: field,
    title: t(`appeals.sla.${field}`),
    render: (_, p) => (
      <InputNumber<number>
        min={1}
        max={MAX_HOURS[field]}
        precision={0}
        value={current(p)[field]}
        onChange={(value) => edit(p, field, value)}
        suffix={t('appeals.figures.hoursUnit')}
        style={{ width: 130 }}
        aria-label={`${categoryName(p.category ?? 'other')} ${t(`appeals.sla.${field}`)}`}
        data-testid={`sla-${p.category}-${field}`}
      />
    ),
  });

  const columns: TableProps<SlaPolicy>['columns'] = [
    { key: 'category', title: t('appeals.field.category'), render: (_, p) => (p.category ? categoryName(p.category) : t('appeals.sla.allCategories')) },
    ...FIELDS.map(hoursColumn),
    {
      key: 'save',
      title: '',
      render: (_, p) => {
        const hours = current(p);
        return (
          <Button
            type="primary"
            size="small"
            disabled={sameHours(hours, p) || !validHours(hours)}
            loading={saving !== null && saving === p.category}
            onClick={() => void saveRow(p)}
            data-testid={`sla-${p.category}-save`}
          >
            {t('common.save')}
          </Button>
        );
      },
    },
  ];

  return (
    <Card title={t('appeals.sla.title')} data-testid="sla-page">
      <Flex vertical gap={16}>
        <UnitScopeBar unitId={unitId} onChange={setUnitId} />
        <Alert type="info" showIcon title={t('appeals.sla.appliesFromNow')} description={t('appeals.sla.inherited')} />
        {policies.isError ? (
          <Result status="error" title={t('errors.loadFailed')} subTitle={policies.error instanceof ApiError ? policies.error.detail : undefined} />
        ) : (
          <Table<SlaPolicy>
            rowKey={(p) => p.category ?? 'all'}
            size="middle"
            columns={columns}
            dataSource={policies.data ?? []}
            loading={policies.isPending && unitId !== null}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="sla-table"
          />
        )}
      </Flex>
    </Card>
  );
}
